import type { Locator, Page } from 'playwright-core';
import { eventually } from './harness';

/** What a person does in the app, by the data-testid contract (docs in app-contract). */

export const byTestId = (page: Page | Locator, id: string): Locator => page.getByTestId(id);

/** alice finds `username` by name and opens the private chat with them. */
export async function openDirectChat(page: Page, username: string): Promise<string> {
  await page.getByTestId('user-search-input').fill(username);
  await page.getByTestId('user-search-input').press('Enter');
  await page.locator(`[data-testid="user-search-result"][data-username="${username}"]`).click();
  return openedRoomId(page);
}

/** Creates a group through the UI; resolves with its room id once its conversation shows. */
export async function createGroup(page: Page, name: string): Promise<string> {
  await page.getByTestId('group-name-input').fill(name);
  await page.getByTestId('group-create').click();
  return openedRoomId(page);
}

/** The invite link shown in a group's conversation (an href or the text). */
export async function inviteLink(page: Page): Promise<string> {
  const link = page.getByTestId('invite-link');
  const shown = `${(await link.getAttribute('href')) ?? ''} ${(await link.textContent()) ?? ''}`;
  const match = /#\/join\/[^\s"'<>]+/.exec(shown);
  if (!match) throw new Error(`no #/join/<id> in the invite link: ${shown}`);
  return match[0];
}

/** Follows an invite link (`#/join/<id>`) in the app; resolves once the group's conversation shows. */
export async function joinByLink(page: Page, appUrl: string, link: string): Promise<string> {
  await page.goto(`${appUrl}/${link}`);
  return openedRoomId(page);
}

/** The room id of the conversation on screen (waits for it). */
export async function openedRoomId(page: Page): Promise<string> {
  const conversation = page.getByTestId('conversation');
  await conversation.waitFor();
  let roomId: string | null = null;
  await eventually(async () => {
    roomId = await conversation.getAttribute('data-room-id');
    expect(roomId).toBeTruthy();
  });
  return roomId!;
}

/** Opens a room from the chat list. */
export async function openChat(page: Page, roomId: string): Promise<void> {
  await chatItem(page, roomId).click();
  await page.locator(`[data-testid="conversation"][data-room-id="${roomId}"]`).waitFor();
}

export const chatItem = (page: Page, roomId: string): Locator =>
  page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"]`);

/** Types into the composer and sends with the button. */
export async function sendMessage(page: Page, body: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.fill(body);
  await page.getByTestId('composer-send').click();
  await eventually(async () => expect(await input.inputValue()).toBe(''));
}

export const messages = (page: Page): Locator => page.getByTestId('message-list').getByTestId('message');

/** The message on screen whose body is exactly `body` (the newest such one). */
export const messageWithBody = (page: Page, body: string): Locator =>
  messages(page)
    .filter({ has: page.getByTestId('message-body').getByText(body, { exact: true }) })
    .last();

export const messageById = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="message"][data-message-id="${id}"]`);

/** The bodies of the messages on screen, top to bottom. */
export async function bodies(page: Page): Promise<string[]> {
  return (await messages(page).getByTestId('message-body').allTextContents()).map((text) => text.trim());
}

/** Runs a message action (`action-reply`, `action-edit`, …): the actions may only show on hover. */
export async function messageAction(message: Locator, action: string): Promise<void> {
  await message.hover();
  await message.getByTestId(action).click();
}

/** Waits until `locator`'s text (trimmed) satisfies `expected`. */
export async function expectText(locator: Locator, expected: string | RegExp, ms?: number): Promise<void> {
  await eventually(async () => {
    const text = ((await locator.first().textContent({ timeout: 1000 })) ?? '').trim();
    if (typeof expected === 'string') expect(text).toBe(expected);
    else expect(text).toMatch(expected);
  }, ms);
}

/** Waits until `locator` has attribute `name` equal to (or matching) `value`; a failure names the element. */
export async function expectAttribute(locator: Locator, name: string, value: string | RegExp, ms?: number): Promise<void> {
  await eventually(async () => {
    const actual = (await locator.first().getAttribute(name, { timeout: 1000 })) ?? '';
    const matches = typeof value === 'string' ? actual === value : value.test(actual);
    if (!matches) throw new Error(`${name} of ${locator}: expected ${value}, got "${actual}"`);
  }, ms);
}
