import { randomUUID } from 'node:crypto';
import { parseBusPayload } from '../src/live/bus-payloads';
import { Topic } from '../src/live/pubsub';

/** What a presence transition must look like when it comes from Redis (anyone who can publish there could send anything). */
describe('presence payloads on the bus', () => {
  const userId = randomUUID();

  test('an online or offline transition of the right shape passes as it is', () => {
    const online = { userId, online: true, lastSeenAt: null };
    const offline = { userId, online: false, lastSeenAt: '2026-12-02T10:00:00.000Z' };

    expect(parseBusPayload(Topic.presence, online)).toEqual(online);
    expect(parseBusPayload(Topic.presence, offline)).toEqual(offline);
  });

  test.each([
    ['online with a last-seen time', { userId, online: true, lastSeenAt: '2026-12-02T10:00:00.000Z' }],
    ['offline without one', { userId, online: false, lastSeenAt: null }],
    ['a user id that is not a UUID', { userId: 'alice', online: true, lastSeenAt: null }],
    ['a date that is not ISO-8601', { userId, online: false, lastSeenAt: 'yesterday' }],
    ['not an object', 'online'],
  ])('%s is dropped', (_what, payload) => {
    expect(parseBusPayload(Topic.presence, payload)).toBeNull();
  });
});
