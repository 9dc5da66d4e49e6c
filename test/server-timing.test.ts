import { performance } from 'node:perf_hooks';
import { createRoom, send, signUp } from './helpers/factories';
import { MessagesDoc } from './helpers/operations';
import { useServers } from './helpers/servers';

const servers = useServers();

/** POSTs a history page with fetch; returns the `total` of Server-Timing and the client's own time. */
async function timedHistoryPage(token: string, roomId: string) {
  const started = performance.now();
  const response = await fetch(servers().httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: MessagesDoc.toString(), variables: { roomId, last: 50 } }),
  });
  const json = (await response.json()) as { data?: { messages: { edges: unknown[] } }; errors?: unknown[] };
  const clientMs = performance.now() - started;
  const header = response.headers.get('server-timing');
  const total = /^total;dur=(\d+(?:\.\d+)?)$/.exec(header ?? '')?.[1];
  return { status: response.status, json, header, totalMs: total === undefined ? null : Number(total), clientMs };
}

describe('Server-Timing', () => {
  test('a GraphQL response says how long the server took, within what the client waited', async () => {
    const alice = await signUp(servers(), 'alice');
    const room = await createRoom(servers(), alice);
    await send(servers(), alice, room.id, 'hello');

    const page = await timedHistoryPage(alice.token, room.id);
    expect(page.status).toBe(200);
    expect(page.json.data?.messages.edges).toHaveLength(1);
    expect(page.header).toMatch(/^total;dur=\d+\.\d{3}$/);
    expect(page.totalMs).toBeGreaterThan(0);
    // The server's time is part of the client's round trip, never more.
    expect(page.totalMs).toBeLessThanOrEqual(page.clientMs);
  });

  test('an error response carries it too', async () => {
    const alice = await signUp(servers(), 'alice');
    const page = await timedHistoryPage(alice.token, 'not-a-room');
    expect(page.json.errors).toBeDefined();
    expect(page.totalMs).not.toBeNull();
  });

  test('GET /health does not (it is the round-trip floor the benchmark compares with)', async () => {
    const response = await fetch(new URL('/health', servers().httpUrl));
    expect(response.headers.get('server-timing')).toBeNull();
  });
});
