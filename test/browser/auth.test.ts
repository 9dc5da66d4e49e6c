import type { Page } from 'playwright-core';
import { logout } from '../helpers/sessions';
import { eventually, screenshot, useBrowserApp } from './harness';

const app = useBrowserApp();

/** The JWTs the app keeps in its storage (the session's access token among them). */
async function storedTokens(page: Page): Promise<string[]> {
  // In-page code as a string: the tests compile without the DOM library.
  const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
  const tokens = stored.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? [];
  if (!tokens.length) throw new Error(`no token in the page's storage: ${stored.slice(0, 200)}`);
  return tokens;
}

/** Ends the page's session from outside the page, as another device or an admin would: logout with its token. */
async function endSessionElsewhere(page: Page): Promise<void> {
  for (const token of await storedTokens(page)) {
    const result = await logout(app.servers(), token);
    if (result.data?.logout === true) return;
  }
  throw new Error('no stored token was accepted by logout');
}

test('sign up through the form, then a reload keeps the session: still signed in, the chat list shown', async () => {
  const alice = await app.newUser('alice');
  const { page } = alice;
  await page.reload();
  await page.getByTestId('chat-list').waitFor();
  await eventually(async () => expect(await page.getByTestId('me').textContent()).toContain(alice.username));
  expect(await page.getByTestId('auth-username').count()).toBe(0);
});

test('a wrong password is refused on the sign-in form with a message', async () => {
  const alice = await app.newUser('alice');
  const page = await app.newVisitor();
  await page.getByTestId('auth-username').fill(alice.username);
  await page.getByTestId('auth-password').fill('not the password');
  await page.getByTestId('auth-login').click();
  await page.getByTestId('auth-error').waitFor();
  expect(((await page.getByTestId('auth-error').textContent()) ?? '').trim()).not.toBe('');
  expect(await page.getByTestId('chat-list').count()).toBe(0);
});

test('signing in with the right password shows the chat list', async () => {
  const alice = await app.newUser('alice');
  const page = await app.newVisitor();
  await page.getByTestId('auth-username').fill(alice.username);
  await page.getByTestId('auth-password').fill(alice.password);
  await page.getByTestId('auth-login').click();
  await page.getByTestId('chat-list').waitFor();
  await eventually(async () => expect(await page.getByTestId('me').textContent()).toContain(alice.username));
});

test('a session ended elsewhere (logout with its token) sends the page back to sign-in with a message', async () => {
  const { page } = await app.newUser('alice');
  // Another place ends this very session: the server closes its sockets (4403) and refuses its tokens.
  await endSessionElsewhere(page);
  await page.getByTestId('auth-username').waitFor();
  await eventually(async () => {
    const shown = await page.locator('[data-testid="banner-error"], [data-testid="auth-error"]').allTextContents();
    expect(shown.join(' ')).toMatch(/session ended/i);
  });
  await screenshot(page, 'session-ended');
});

test('signing out from the app goes back to the sign-in form; a reload stays signed out', async () => {
  const { page } = await app.newUser('alice');
  await page.getByTestId('sign-out').click();
  await page.getByTestId('auth-username').waitFor();
  await page.reload();
  await page.getByTestId('auth-username').waitFor();
  expect(await page.getByTestId('chat-list').count()).toBe(0);
});
