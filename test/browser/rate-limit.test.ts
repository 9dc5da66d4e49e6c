import { createGroup, sendMessage } from './flows';
import { eventually, screenshot, useBrowserApp } from './harness';
import { uniqueName } from '../helpers/factories';

// Three sends a minute per user: the fourth is refused with RATE_LIMITED (and a retryAfter).
const app = useBrowserApp({ RATE_LIMIT_SENDS_PER_MINUTE: '3' });

test('a rate-limited send shows "Too many requests: try again in N s"', async () => {
  const { page } = await app.newUser('alice');
  await createGroup(page, uniqueName('group'));
  for (const body of ['one', 'two', 'three']) await sendMessage(page, body);
  await page.getByTestId('composer-input').fill('four');
  await page.getByTestId('composer-send').click();
  await eventually(async () => expect(await page.getByTestId('banner-error').textContent()).toMatch(/too many requests: try again in \d+ s/i));
  await screenshot(page, 'desktop-rate-limited');
});
