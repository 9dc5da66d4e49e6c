import { uniqueName } from '../helpers/factories';
import {
  chatListSelector,
  firstScreenBudgetMs,
  maxFirstScreenJsGzipBytes,
  recordScripts,
  signInSelector,
  timeToFirstScreen,
  totalGzipBytes,
} from './first-screen-probe';
import { signUpThroughUi, uiTimeoutMs, useBrowserApp } from './harness';

const app = useBrowserApp();

/**
 * issue 12's budgets: the first screen's JavaScript (asserted: a size does not depend on the
 * machine's load) and how soon it is on screen (1 s: printed, not asserted; speed goals live
 * in benchmarks, and `npm run bench -- --scenario first-screen` measures it on a quiet machine).
 */
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

test('the first screen: its JavaScript is at most 150 KB gzipped; the time to render it (sign-in and signed-in) is printed', async () => {
  const context = await app.newContext();
  const signIn = await app.newPage(context);
  const scripts = recordScripts(signIn);
  const signInMs = await timeToFirstScreen(signIn, `${app.servers().appUrl}/`, signInSelector, uiTimeoutMs);
  await signIn.waitForLoadState('networkidle');
  const jsGzipBytes = await totalGzipBytes(scripts);

  await signUpThroughUi(signIn, uniqueName('alice'), 'correct horse battery');
  // A returning user: a new tab in the same profile (session stored, HTTP cache warm).
  const chatList = await app.newPage(context);
  const chatListMs = await timeToFirstScreen(chatList, `${app.servers().appUrl}/`, chatListSelector, uiTimeoutMs);

  console.log(
    `web-app figures: first-screen JS ${kb(jsGzipBytes)} gzipped in ${scripts.size} file(s) (budget ${kb(maxFirstScreenJsGzipBytes)}); ` +
      `sign-in form rendered in ${signInMs.toFixed(0)} ms, chat list (signed in) in ${chatListMs.toFixed(0)} ms (budget ${firstScreenBudgetMs} ms)`,
  );
  expect(scripts.size).toBeGreaterThan(0);
  expect(jsGzipBytes).toBeLessThanOrEqual(maxFirstScreenJsGzipBytes);
  expect(signInMs).toBeGreaterThan(0);
  expect(chatListMs).toBeGreaterThan(0);
});
