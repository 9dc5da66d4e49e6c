import { joinRoom, send, signUp, uniqueName } from '../helpers/factories';
import { bodies, createGroup, expectAttribute, inviteLink, joinByLink, messageWithBody, sendMessage } from './flows';
import { eventually, screenshot, useBrowserApp, type UserPage } from './harness';

const app = useBrowserApp();

const status = (user: UserPage) => user.page.getByTestId('connection-status');

/**
 * The WebSocket server goes away while alice and bob have a group open; messages are sent
 * during the outage (over HTTP: by carol through the API and by alice through the page).
 * Once it is back on the same port, both pages resume from their cursors: every message
 * once, in order.
 */
test('a WebSocket server restart loses nothing and doubles nothing; the status goes reconnecting -> connected', async () => {
  const [alice, bob] = await Promise.all([app.newUser('alice'), app.newUser('bob')]);
  const carol = await signUp(app.servers(), 'carol');
  const roomId = await createGroup(alice.page, uniqueName('group'));
  await joinByLink(bob.page, app.servers().appUrl, await inviteLink(alice.page));
  await joinRoom(app.servers(), carol, roomId);

  await sendMessage(alice.page, 'before the outage');
  await messageWithBody(bob.page, 'before the outage').waitFor();
  await expectAttribute(status(alice), 'data-state', 'connected');
  await expectAttribute(status(bob), 'data-state', 'connected');

  await app.servers().stopWs();
  await expectAttribute(status(alice), 'data-state', 'reconnecting');
  await expectAttribute(status(bob), 'data-state', 'reconnecting');
  await screenshot(bob.page, 'desktop-reconnecting');
  const during = ['during 1', 'during 2', 'during 3'];
  for (const body of during) await send(app.servers(), carol, roomId, body);
  await sendMessage(alice.page, 'alice during the outage');

  await app.servers().startWs();
  // graphql-ws retries with a growing, randomised wait: allow it a few attempts.
  await expectAttribute(status(alice), 'data-state', 'connected', 30_000);
  await expectAttribute(status(bob), 'data-state', 'connected', 30_000);
  await send(app.servers(), carol, roomId, 'after the outage');

  const expected = ['before the outage', ...during, 'alice during the outage', 'after the outage'];
  for (const user of [bob, alice]) {
    await eventually(async () => expect(await bodies(user.page)).toEqual(expected), 15_000);
  }
  // Still once, a moment later (a late replay would double them).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await bodies(bob.page)).toEqual(expected);
  expect(await bodies(alice.page)).toEqual(expected);
});
