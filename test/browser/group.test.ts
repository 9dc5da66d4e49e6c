import { uniqueName } from '../helpers/factories';
import {
  chatItem,
  createGroup,
  expectAttribute,
  expectText,
  inviteLink,
  joinByLink,
  messageAction,
  messageWithBody,
  sendMessage,
} from './flows';
import { eventually, screenshot, useBrowserApp, type UserPage } from './harness';

const app = useBrowserApp();

/** A group chat in two browser contexts; each step builds on the previous one. */
describe('a group: alice creates it, bob joins by the invite link, both chat', () => {
  let alice: UserPage;
  let bob: UserPage;
  let roomId: string;
  const groupName = uniqueName('group');

  beforeAll(async () => {
    [alice, bob] = await Promise.all([app.newUser('alice'), app.newUser('bob')]);
  });

  test('alice creates the group; its conversation shows its name and an invite link', async () => {
    roomId = await createGroup(alice.page, groupName);
    await expectText(alice.page.getByTestId('conversation-title'), new RegExp(groupName));
    expect(await inviteLink(alice.page)).toBe(`#/join/${roomId}`);
  });

  test('bob follows the invite link: he is in the group and it is in his list', async () => {
    const joined = await joinByLink(bob.page, app.servers().appUrl, await inviteLink(alice.page));
    expect(joined).toBe(roomId);
    await expectText(bob.page.getByTestId('conversation-title'), new RegExp(groupName));
    await expectAttribute(bob.page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"]`), 'data-kind', 'GROUP');
  });

  test('both chat: each sees the other live', async () => {
    await sendMessage(alice.page, 'hi group');
    await messageWithBody(bob.page, 'hi group').waitFor();
    await sendMessage(bob.page, 'hi alice');
    await expectText(messageWithBody(alice.page, 'hi alice').getByTestId('message-author'), new RegExp(bob.username));
  });

  test('with the group open on both sides, each message goes READ (blue ✓✓) for its author', async () => {
    await expectAttribute(messageWithBody(alice.page, 'hi group'), 'data-status', 'READ');
    await expectAttribute(messageWithBody(bob.page, 'hi alice'), 'data-status', 'READ');
  });

  test('an open conversation leaves no unread badge in its own list entry', async () => {
    for (const user of [alice, bob]) {
      await eventually(async () => expect(await chatItem(user.page, roomId).getByTestId('chat-unread').count()).toBe(0));
    }
  });

  test("bob replies to alice's message: both see the quote", async () => {
    await messageAction(messageWithBody(bob.page, 'hi group'), 'action-reply');
    await expectText(bob.page.getByTestId('composer-reply-preview'), /hi group/);
    await sendMessage(bob.page, 'a reply');
    await expectText(messageWithBody(alice.page, 'a reply').getByTestId('message-reply-quote'), /hi group/);
    await expectText(messageWithBody(bob.page, 'a reply').getByTestId('message-reply-quote'), /hi group/);
    expect(await bob.page.getByTestId('composer-reply-preview').count()).toBe(0);
  });

  test('alice edits her message: bob sees the new text marked edited', async () => {
    await messageAction(messageWithBody(alice.page, 'hi group'), 'action-edit');
    await alice.page.getByTestId('composer-editing').waitFor();
    const input = alice.page.getByTestId('composer-input');
    await input.fill('hi group, edited');
    await input.press('Enter');
    const edited = messageWithBody(bob.page, 'hi group, edited');
    await edited.getByTestId('message-edited').waitFor();
    await messageWithBody(alice.page, 'hi group, edited').getByTestId('message-edited').waitFor();
    // The quote in bob's reply is the same message (one entity by id): it shows the edit too.
    await expectText(messageWithBody(bob.page, 'a reply').getByTestId('message-reply-quote'), /hi group, edited/);
    await expectText(messageWithBody(alice.page, 'a reply').getByTestId('message-reply-quote'), /hi group, edited/);
  });

  test("bob reacts 👍 to alice's message: alice sees the count, bob's chip is his", async () => {
    await messageAction(messageWithBody(bob.page, 'hi group, edited'), 'action-react');
    await bob.page.locator('[data-testid="emoji-option"][data-emoji="👍"]').click();
    const onAlice = messageWithBody(alice.page, 'hi group, edited').locator('[data-testid="reaction"][data-emoji="👍"]');
    await expectText(onAlice, /1/);
    expect(await onAlice.getAttribute('data-mine')).not.toBe('true');
    await expectAttribute(messageWithBody(bob.page, 'hi group, edited').locator('[data-testid="reaction"][data-emoji="👍"]'), 'data-mine', 'true');
  });

  test('alice adds 👍 by clicking the chip: the count is 2 on both sides; clicking again takes it back', async () => {
    const chip = (user: UserPage) => messageWithBody(user.page, 'hi group, edited').locator('[data-testid="reaction"][data-emoji="👍"]');
    await chip(alice).click();
    await expectText(chip(bob), /2/);
    await expectAttribute(chip(alice), 'data-mine', 'true');
    await chip(alice).click();
    await expectText(chip(bob), /1/);
  });

  test("alice deletes her message: bob sees the tombstone, and his reply's quote shows it deleted", async () => {
    await screenshot(bob.page, 'desktop-group-before-delete');
    const message = messageWithBody(alice.page, 'hi group, edited');
    const messageId = await message.getAttribute('data-message-id');
    await messageAction(message, 'action-delete');
    const tombstone = bob.page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
    await expectAttribute(tombstone, 'data-deleted', 'true');
    await expectText(tombstone.getByTestId('message-body'), 'This message was deleted');
    expect(await tombstone.locator('[data-testid="reaction"]').count()).toBe(0);
    await screenshot(alice.page, 'desktop-group-alice');
    await screenshot(bob.page, 'desktop-group-bob');
    // "A deleted original shows as its tombstone" (schema): in the quote as well.
    for (const user of [bob, alice]) {
      await eventually(async () => {
        const quote = (await messageWithBody(user.page, 'a reply').getByTestId('message-reply-quote').textContent()) ?? '';
        expect(quote).not.toMatch(/hi group/);
        expect(quote).toMatch(/deleted/i);
      });
    }
  });
});
