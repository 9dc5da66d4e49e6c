import { chatItem, expectAttribute, expectText, messageWithBody, openChat, openDirectChat, sendMessage } from './flows';
import { eventually, screenshot, useBrowserApp, type UserPage } from './harness';

// Offline half a second after the last socket closes (5 s by default): the "last seen" step waits less.
const app = useBrowserApp({ PRESENCE_GRACE_MS: '500' });

/**
 * One conversation between two people in two browser contexts, step by step: each step
 * needs the previous one (the chat exists, the message is sent, bob has it open).
 */
describe('a private (DIRECT) chat between alice and bob, through the UI', () => {
  let alice: UserPage;
  let bob: UserPage;
  let roomId: string;
  const hello = 'hello bob, it is alice';

  beforeAll(async () => {
    [alice, bob] = await Promise.all([app.newUser('alice'), app.newUser('bob')]);
  });

  test('alice finds bob by name and opens the private chat with him', async () => {
    roomId = await openDirectChat(alice.page, bob.username);
    await expectText(alice.page.getByTestId('conversation-title'), new RegExp(bob.username));
  });

  test('a name nobody has says so', async () => {
    await alice.page.getByTestId('user-search-input').fill('nobody_by_this_name');
    await alice.page.getByTestId('user-search-input').press('Enter');
    await expectText(alice.page.getByTestId('user-search-empty'), /nobody_by_this_name/);
  });

  test("bob is online: alice's header says so and her chat list shows the dot", async () => {
    await expectText(alice.page.getByTestId('conversation-presence'), /online/i);
    await chatItem(alice.page, roomId).getByTestId('chat-online').waitFor();
  });

  test('alice sends; bob sees it live in his list with an unread badge', async () => {
    await sendMessage(alice.page, hello);
    await expectAttribute(messageWithBody(alice.page, hello), 'data-mine', 'true');
    const item = chatItem(bob.page, roomId);
    await expectAttribute(item, 'data-kind', 'DIRECT');
    await expectText(item.getByTestId('chat-last-message'), new RegExp(hello));
    await expectText(item.getByTestId('chat-unread'), '1');
    await expectText(item.getByTestId('chat-title'), new RegExp(alice.username));
    // The list counts each live message of another member (client/cache.ts); mine are never unread.
    await sendMessage(alice.page, 'are you there?');
    await expectText(item.getByTestId('chat-unread'), '2');
    expect(await chatItem(alice.page, roomId).getByTestId('chat-unread').count()).toBe(0);
  });

  test("alice's message is delivered (✓✓) while bob has not opened it, not read", async () => {
    await expectAttribute(messageWithBody(alice.page, hello), 'data-status', 'DELIVERED');
  });

  test('bob opens the chat: he sees the message, his badge goes, and alice sees it READ', async () => {
    await openChat(bob.page, roomId);
    const received = messageWithBody(bob.page, hello);
    await expectAttribute(received, 'data-mine', 'false');
    await expectText(received.getByTestId('message-author'), new RegExp(alice.username));
    await expectAttribute(messageWithBody(alice.page, hello), 'data-status', 'READ');
    await eventually(async () => expect(await chatItem(bob.page, roomId).getByTestId('chat-unread').count()).toBe(0));
  });

  test('alice types: bob sees "alice is typing…"; she sends, and it goes', async () => {
    await alice.page.getByTestId('composer-input').pressSequentially('are you th', { delay: 30 });
    await expectText(bob.page.getByTestId('typing-indicator'), new RegExp(`${alice.username} is typing`));
    await alice.page.getByTestId('composer-input').pressSequentially('ere?', { delay: 30 });
    await alice.page.getByTestId('composer-send').click();
    await messageWithBody(bob.page, 'are you there?').waitFor();
    // Typing ends with the send (or by itself within ~6 s): no indicator left on bob's side.
    await eventually(async () => {
      const indicator = bob.page.getByTestId('typing-indicator');
      const text = (await indicator.count()) ? ((await indicator.textContent()) ?? '') : '';
      expect(text).not.toMatch(/typing/);
    });
  });

  test('bob answers while alice has the chat open: she reads it at once (READ for bob, no badge for her)', async () => {
    await sendMessage(bob.page, 'yes, here');
    await expectAttribute(messageWithBody(alice.page, 'yes, here'), 'data-mine', 'false');
    await expectAttribute(messageWithBody(bob.page, 'yes, here'), 'data-status', 'READ');
    await expectAttribute(messageWithBody(alice.page, 'are you there?'), 'data-status', 'READ');
    await eventually(async () => expect(await chatItem(alice.page, roomId).getByTestId('chat-unread').count()).toBe(0));
    await screenshot(alice.page, 'desktop-direct-alice');
    await screenshot(bob.page, 'desktop-direct-bob');
  });

  test('bob closes the app: alice sees him go offline, "last seen …" in the header and no dot in her list', async () => {
    await bob.context.close();
    await expectText(alice.page.getByTestId('conversation-presence'), /last seen/i);
    await eventually(async () => expect(await chatItem(alice.page, roomId).getByTestId('chat-online').count()).toBe(0));
  });
});
