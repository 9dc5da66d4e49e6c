import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Env } from '../../src/config';
import { uniqueName } from '../helpers/factories';
import { withTimeout } from '../helpers/wait';
import { startAppServers, type AppServers } from './app-servers';
import { launchChromium } from './chromium';
import { webDistIndex } from './web-build';

/** Browser tests start servers and chromium and drive several pages: more than the suite's 30 s. */
export const browserTestTimeoutMs = 120_000;
/** How long a single UI expectation may take (a live update crosses two servers and a socket). */
export const uiTimeoutMs = 10_000;

const root = join(__dirname, '..', '..');
export const screenshotDir = join(root, 'artifacts', 'screenshots');

export const phoneViewport = { width: 375, height: 740 };
const desktopViewport = { width: 1200, height: 800 };

/** One person in the app: a browser context of their own (own storage), signed up through the UI. */
export interface UserPage {
  readonly username: string;
  readonly password: string;
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface BrowserApp {
  servers(): AppServers;
  browser(): Browser;
  /** A fresh context (own storage and cache), closed after the file. */
  newContext(options?: { viewport?: { width: number; height: number } }): Promise<BrowserContext>;
  /** Opens a page in `context` that prints its uncaught errors and accepts confirm() dialogs. */
  newPage(context: BrowserContext): Promise<Page>;
  /** A fresh context + page at the app's sign-in screen (not signed in). */
  newVisitor(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** A fresh context + page, signed up through the UI. */
  newUser(prefix: string, options?: { viewport?: { width: number; height: number } }): Promise<UserPage>;
}

/**
 * Per test file: real servers (the API serving the built app) and one chromium, started in
 * beforeAll and stopped in afterAll; every context opened through it is closed at the end.
 */
export function useBrowserApp(env: Env = {}): BrowserApp {
  jest.setTimeout(browserTestTimeoutMs);
  let servers: AppServers | null = null;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(webDistIndex)) throw new Error(`${webDistIndex} is missing: the jest globalSetup builds the app (see test/global-setup.ts)`);
    [servers, browser] = await Promise.all([startAppServers(env), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    // Bounded: a wedged browser must not hold the suite; the process is killed with it.
    await withTimeout(Promise.all(contexts.map((c) => c.close().catch(() => undefined))), 10_000, 'contexts to close').catch(() => undefined);
    await withTimeout(browser?.close() ?? Promise.resolve(), 10_000, 'chromium to close').catch(() => undefined);
    await servers?.destroy();
  }, 60_000);

  const app: BrowserApp = {
    servers: () => servers ?? fail('servers are not started yet'),
    browser: () => browser ?? fail('chromium is not started yet'),
    async newContext(options = {}) {
      const context = await app.browser().newContext({ viewport: options.viewport ?? desktopViewport });
      contexts.push(context);
      context.setDefaultTimeout(uiTimeoutMs);
      context.setDefaultNavigationTimeout(uiTimeoutMs);
      return context;
    },
    async newPage(context) {
      const page = await context.newPage();
      watchPage(page);
      return page;
    },
    async newVisitor(options = {}) {
      const page = await app.newPage(await app.newContext(options));
      await page.goto(`${app.servers().appUrl}/`);
      return page;
    },
    async newUser(prefix, options = {}) {
      const page = await app.newVisitor(options);
      const username = uniqueName(prefix);
      const password = 'correct horse battery';
      await signUpThroughUi(page, username, password);
      return { username, password, context: page.context(), page };
    },
  };
  return app;
}

function fail(message: string): never {
  throw new Error(message);
}

/** Uncaught errors in the page are printed: a red test then says what the app threw. */
function watchPage(page: Page): void {
  page.on('pageerror', (error) => console.warn(`page error: ${error.message}`));
  // A confirm() before a delete answers yes, as the person would.
  page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
}

export async function signUpThroughUi(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('auth-username').fill(username);
  await page.getByTestId('auth-password').fill(password);
  await page.getByTestId('auth-register').click();
  await page.getByTestId('chat-list').waitFor();
  await eventually(async () => expect(await page.getByTestId('me').textContent()).toContain(username));
}

/**
 * Retries `assertion` until it passes or `ms` elapse, then rethrows its last failure: the
 * UI updates asynchronously, and a failing expect says more than a timeout would.
 */
export async function eventually(assertion: () => Promise<void> | void, ms = uiTimeoutMs): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Saves a PNG under artifacts/screenshots/ (gitignored) and prints where. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  console.log(`screenshot: ${path}`);
  return path;
}
