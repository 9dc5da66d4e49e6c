import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';

/**
 * How the first screen is timed and weighed, shared by the browser figures test
 * (test/browser/figures.test.ts, printed) and the `first-screen` benchmark
 * (bench/scenarios/first-screen.ts, p50/p95/max over many loads).
 */

/** issue 12's budgets. */
export const maxFirstScreenJsGzipBytes = 150 * 1024;
export const firstScreenBudgetMs = 1000;

/** What the first screen shows: signed out, and signed in. */
export const signInSelector = '[data-testid="auth-username"]';
export const chatListSelector = '[data-testid="chat-list"]';

/**
 * Injected before any of the app's scripts: on every animation frame (before paint), it
 * looks for `selector` laid out on screen and records the time since navigation started.
 */
export const firstScreenProbe = (selector: string) => `(() => {
  const tick = () => {
    const element = document.querySelector(${JSON.stringify(selector)});
    if (element && element.getBoundingClientRect().height > 0) return void (window.__firstScreenMs = performance.now());
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** Navigates to `url` and resolves with the ms from navigation start to `selector` on screen. */
export async function timeToFirstScreen(page: Page, url: string, selector: string, timeoutMs = 10_000): Promise<number> {
  await page.addInitScript(firstScreenProbe(selector));
  await page.goto(url);
  // Polled with evaluate (the DevTools protocol): waitForFunction compiles a string, which the app's CSP forbids.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ms = await page.evaluate<number | undefined>('window.__firstScreenMs');
    if (ms !== undefined) return ms;
    if (Date.now() > deadline) throw new Error(`${selector} was not on screen within ${timeoutMs} ms of ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Collects every JavaScript response of the page: url -> gzipped size (gzipped here, with zlib). */
export function recordScripts(page: Page): Map<string, Promise<number>> {
  const sizes = new Map<string, Promise<number>>();
  page.on('response', (response: Response) => {
    const isScript = response.request().resourceType() === 'script' || /javascript/.test(response.headers()['content-type'] ?? '');
    if (!isScript || sizes.has(response.url())) return;
    sizes.set(response.url(), response.body().then((body) => gzipSync(body).length, () => 0));
  });
  return sizes;
}

/** The sum of what recordScripts collected. */
export async function totalGzipBytes(scripts: Map<string, Promise<number>>): Promise<number> {
  return (await Promise.all(scripts.values())).reduce((sum, bytes) => sum + bytes, 0);
}
