import type { Browser } from 'playwright-core';
import { buildWebApp, describeWebBuild } from '../../scripts/build-web';
import { launchChromium } from '../../test/browser/chromium';
import { chatListSelector, recordScripts, signInSelector, timeToFirstScreen, totalGzipBytes } from '../../test/browser/first-screen-probe';
import { createBackend, type Backend, type BackendKind } from '../db';
import { bounded } from '../loadgen-client';
import { gql } from '../setup';
import { Samples, type LatencySummary } from '../stats';
import { startService, type Target } from '../targets';
import { errorText, type RunContext } from './context';

export interface FirstScreenResult {
  target: string;
  loads: number;
  /** Navigation start → the sign-in form on screen, a new context (empty cache) per load. */
  signInMs: LatencySummary | null;
  /** Navigation start → the signed-in user's chat list on screen (its rooms loaded), a new context per load. */
  chatListMs: LatencySummary | null;
  /** The sign-in screen's JavaScript, gzipped with zlib, and in how many files. */
  jsGzipBytes: number | null;
  jsFiles: number | null;
  webBuild: string | null;
  ok: boolean;
  error: string | null;
}

/** Rooms of the signed-in user, so that its chat list has rows to render. */
const rooms = 3;
/** The register answer is the session the app stores (web/src/client/session-store.ts: token, expiries, refresh token, user). */
type Session = { token: string } & Record<string, unknown>;
const register = 'mutation FirstScreenUser($username: String!, $password: String!) { register(username: $username, password: $password) { token expiresAt refreshToken refreshExpiresAt user { id username } } }';

/** The web app's first screen in Debian's chromium against the service (which serves the built app at `/`), per backend. */
export async function runFirstScreen(ctx: RunContext): Promise<FirstScreenResult[]> {
  const results: FirstScreenResult[] = [];
  for (const kind of ctx.options.backends) {
    const r = await firstScreenOn(ctx, kind);
    const line = (s: LatencySummary | null) => `p50 ${s?.p50?.toFixed(0)} / p95 ${s?.p95?.toFixed(0)} / max ${s?.max?.toFixed(0)} ms`;
    ctx.log(r.ok ? `  sign-in ${line(r.signInMs)}; chat list ${line(r.chatListMs)}; JS ${((r.jsGzipBytes ?? 0) / 1024).toFixed(1)} KB gzipped` : `  failed: ${r.error}`);
    results.push(r);
  }
  return results;
}

async function firstScreenOn(ctx: RunContext, kind: BackendKind): Promise<FirstScreenResult> {
  const loads = ctx.options.firstScreenLoads;
  const result: FirstScreenResult = { target: `service/${kind}`, loads, signInMs: null, chatListMs: null, jsGzipBytes: null, jsFiles: null, webBuild: null, ok: false, error: null };
  let backend: Backend | null = null;
  let target: Target | null = null;
  let browser: Browser | null = null;
  try {
    result.webBuild = describeWebBuild(await buildWebApp({ quiet: true }));
    backend = await createBackend(kind);
    result.target = `service/${backend.name}`;
    ctx.log(`first-screen: ${result.target}, ${loads} loads of each screen; ${result.webBuild}`);
    [target, browser] = await Promise.all([startService(backend, ctx.jwtSecret), launchChromium()]);
    const apiUrl = target.apiUrl!;
    const { register: auth } = await gql<{ register: Session }>(apiUrl, register, { username: `fs_${Date.now().toString(36)}`, password: 'bench password 123' });
    for (let i = 0; i < rooms; i++) await gql(apiUrl, 'mutation FirstScreenRoom($name: String!) { createRoom(name: $name) { id } }', { name: `first screen ${i}` }, auth.token);
    const measure = measurer(browser, apiUrl.replace(/\/graphql$/, '/'));
    await bounded(
      (async () => {
        // One load of each first, not counted: the server's first requests and chromium's first renderer.
        await measure(signInSelector, null);
        await measure(chatListSelector, auth);
        const signIn = new Samples();
        const chatList = new Samples();
        for (let i = 0; i < loads; i++) signIn.add(await measure(signInSelector, null, i === 0 ? result : undefined));
        for (let i = 0; i < loads; i++) chatList.add(await measure(chatListSelector, auth));
        [result.signInMs, result.chatListMs, result.ok] = [signIn.summary(), chatList.summary(), true];
      })(),
      ctx.options.scenarioBudgetS * 1000,
      'the first-screen loads',
    );
  } catch (err) {
    result.error = errorText(err);
  } finally {
    await browser?.close().catch(() => undefined);
    await target?.stop();
    await backend?.cleanup().catch((err) => ctx.log(`  cleanup failed: ${errorText(err)}`));
  }
  return result;
}

/** One load in a new context (empty cache and storage); with `session`, stored as the app keeps it (web/src/client/session-store.ts). */
function measurer(browser: Browser, appUrl: string) {
  return async (selector: string, session: object | null, weigh?: FirstScreenResult): Promise<number> => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    try {
      const page = await context.newPage();
      if (session) await page.addInitScript(`localStorage.setItem('chat.session', ${JSON.stringify(JSON.stringify(session))});`);
      const scripts = weigh && recordScripts(page);
      const ms = await timeToFirstScreen(page, appUrl, selector);
      if (session && (await page.locator(`${chatListSelector} .chat-row`).count()) !== rooms) throw new Error(`the chat list did not show the user's ${rooms} rooms`);
      if (weigh && scripts) {
        await page.waitForLoadState('networkidle');
        [weigh.jsGzipBytes, weigh.jsFiles] = [await totalGzipBytes(scripts), scripts.size];
      }
      return ms;
    } finally {
      await context.close();
    }
  };
}
