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

/** An ended session from Redis ends the session's tokens and sockets in this process: only a well-shaped one counts. */
describe('ended-session payloads on the bus', () => {
  const ended = { sessionId: '0192f0a2-8c4b-7e5f-9a1b-2c3d4e5f6a7b', userId: '0192f0a2-8c4b-7e5f-9a1b-2c3d4e5f6a7c', endedAt: '2026-12-03T10:00:00.000Z' };

  test('a session id, its user and when it ended pass', () => {
    expect(parseBusPayload(Topic.sessionsEnded, ended)).toEqual(ended);
  });

  test.each([
    ['no session id', { ...ended, sessionId: undefined }],
    ['a session id that is not a uuid', { ...ended, sessionId: 'everyone' }],
    ['no end time', { ...ended, endedAt: undefined }],
    ['an end time that is not a date', { ...ended, endedAt: 'yesterday' }],
    ['not an object', 'logout'],
  ])('%s is dropped', (_name, payload) => {
    expect(parseBusPayload(Topic.sessionsEnded, payload)).toBeNull();
  });
});
