import type { Page } from 'playwright-core';
import { openDirect, send, signUp, uniqueName } from '../helpers/factories';
import { gqlData } from '../helpers/http';
import { UserByUsernameDoc } from '../helpers/operations';
import { chatItem, messageWithBody, openChat } from './flows';
import { phoneViewport, screenshot, signUpThroughUi, useBrowserApp } from './harness';

const app = useBrowserApp();

/** Nothing wider than the screen: a phone would scroll sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(width).toBeLessThanOrEqual(phoneViewport.width);
}

test('on a phone-sized screen (375x740): sign-in, chat list and conversation, one pane at a time', async () => {
  const page = await app.newVisitor({ viewport: phoneViewport });
  await page.getByTestId('auth-username').waitFor();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'phone-sign-in');

  const username = uniqueName('alice');
  await signUpThroughUi(page, username, 'correct horse battery');
  // Bob (through the API) writes to alice: her list has a chat with a last message and a badge.
  const bob = await signUp(app.servers(), 'bob');
  const { userByUsername } = await gqlData(app.servers().httpUrl, UserByUsernameDoc, { username }, bob.token);
  const room = await openDirect(app.servers(), bob, { id: userByUsername!.id, username, password: '', token: '' });
  await send(app.servers(), bob, room.id, 'hi alice, on your phone?');
  await send(app.servers(), bob, room.id, 'a longer message to see how the bubbles wrap on a narrow screen: it should break into several lines and never push the page sideways');
  await chatItem(page, room.id).getByTestId('chat-unread').waitFor();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'phone-chat-list');

  await openChat(page, room.id);
  await messageWithBody(page, 'hi alice, on your phone?').waitFor();
  // One pane: the list is hidden while the conversation shows.
  expect(await page.getByTestId('chat-list').isVisible()).toBe(false);
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'phone-conversation');

  await page.getByTestId('back').click();
  await page.getByTestId('chat-list').waitFor();
  expect(await page.getByTestId('conversation').isVisible()).toBe(false);
});
