import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';
import { uniqueName } from '../helpers/factories';
import { eventually, signUpThroughUi, useBrowserApp } from './harness';

const app = useBrowserApp();

/**
 * issue 12's budgets: the first screen's JavaScript (asserted: a size does not depend on the
 * machine's load) and how soon it is on screen (1 s: printed, not asserted; speed goals live
 * in benchmarks, and `npm run bench -- --scenario first-screen` measures it on a quiet machine).
 */
const maxFirstScreenJsGzipBytes = 150 * 1024;
const firstScreenBudgetMs = 1000;

/**
 * Injected before any of the app's scripts: on every animation frame (before paint), it
 * looks for `selector` laid out on screen and records the time since navigation started.
 */
const firstScreenProbe = (selector: string) => `(() => {
  const tick = () => {
    const element = document.querySelector(${JSON.stringify(selector)});
    if (element && element.getBoundingClientRect().height > 0) return void (window.__firstScreenMs = performance.now());
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** Navigates to the app and resolves with the ms from navigation to `selector` on screen. */
async function timeToFirstScreen(page: Page, selector: string): Promise<number> {
  await page.addInitScript(firstScreenProbe(selector));
  await page.goto(`${app.servers().appUrl}/`);
  // Polled with evaluate (the DevTools protocol): waitForFunction compiles a string, which the app's CSP forbids.
  let ms: number | undefined;
  await eventually(async () => {
    ms = await page.evaluate<number | undefined>('window.__firstScreenMs');
    expect(ms).toBeDefined();
  });
  return ms!;
}

/** Collects every JavaScript response of the page: url -> gzipped size (gzipped here, with zlib). */
function recordScripts(page: Page): Map<string, Promise<number>> {
  const sizes = new Map<string, Promise<number>>();
  page.on('response', (response: Response) => {
    const isScript = response.request().resourceType() === 'script' || /javascript/.test(response.headers()['content-type'] ?? '');
    if (!isScript || sizes.has(response.url())) return;
    sizes.set(response.url(), response.body().then((body) => gzipSync(body).length, () => 0));
  });
  return sizes;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

test('the first screen: its JavaScript is at most 150 KB gzipped; the time to render it (sign-in and signed-in) is printed', async () => {
  const context = await app.newContext();
  const signIn = await app.newPage(context);
  const scripts = recordScripts(signIn);
  const signInMs = await timeToFirstScreen(signIn, '[data-testid="auth-username"]');
  await signIn.waitForLoadState('networkidle');
  const jsGzipBytes = (await Promise.all(scripts.values())).reduce((sum, bytes) => sum + bytes, 0);

  await signUpThroughUi(signIn, uniqueName('alice'), 'correct horse battery');
  // A returning user: a new tab in the same profile (session stored, HTTP cache warm).
  const chatList = await app.newPage(context);
  const chatListMs = await timeToFirstScreen(chatList, '[data-testid="chat-list"]');

  console.log(
    `web-app figures: first-screen JS ${kb(jsGzipBytes)} gzipped in ${scripts.size} file(s) (budget ${kb(maxFirstScreenJsGzipBytes)}); ` +
      `sign-in form rendered in ${signInMs.toFixed(0)} ms, chat list (signed in) in ${chatListMs.toFixed(0)} ms (budget ${firstScreenBudgetMs} ms)`,
  );
  expect(scripts.size).toBeGreaterThan(0);
  expect(jsGzipBytes).toBeLessThanOrEqual(maxFirstScreenJsGzipBytes);
  expect(signInMs).toBeGreaterThan(0);
  expect(chatListMs).toBeGreaterThan(0);
});
