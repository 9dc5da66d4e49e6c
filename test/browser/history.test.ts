import { createRoom, send, signUp } from '../helpers/factories';
import { bodies, openedRoomId } from './flows';
import { eventually, screenshot, useBrowserApp } from './harness';

const app = useBrowserApp();

const total = 130;
const bodyOf = (n: number) => `history ${String(n).padStart(3, '0')}`;

test('a room with more messages than one page: the newest page shows, scrolling up loads the older ones, in order, once', async () => {
  // Seeded through the API by carol: the UI under test is alice's reading of it.
  const carol = await signUp(app.servers(), 'carol');
  const room = await createRoom(app.servers(), carol);
  for (let n = 1; n <= total; n++) await send(app.servers(), carol, room.id, bodyOf(n));
  const alice = await app.newUser('alice');
  // Joined by pasting the group's id (the invite link is the group test's way in).
  await alice.page.getByTestId('group-join-input').fill(room.id);
  await alice.page.getByTestId('group-join').click();
  expect(await openedRoomId(alice.page)).toBe(room.id);

  const { page } = alice;
  await eventually(async () => expect((await bodies(page)).at(-1)).toBe(bodyOf(total)));
  const firstPage = await bodies(page);
  expect(firstPage.length).toBeLessThan(total);
  expect(firstPage).toEqual(firstPage.map((_, i) => bodyOf(total - firstPage.length + 1 + i)));

  // Scroll up as a person would (the wheel over the list) until the first message shows.
  const list = page.getByTestId('message-list');
  await list.hover();
  let shown = firstPage;
  for (let attempt = 0; attempt < 30 && shown[0] !== bodyOf(1); attempt++) {
    await page.mouse.wheel(0, -4000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    shown = await bodies(page);
  }
  expect(shown).toEqual(Array.from({ length: total }, (_, i) => bodyOf(i + 1)));
  await screenshot(page, 'desktop-history-top');
});
