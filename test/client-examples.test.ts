import { connectApollo } from '../examples/apollo-client';
import { runResumeScenario, type ChatClient } from '../examples/resume-scenario';
import type { ServiceUrls } from '../examples/service-urls';
import { connectUrql } from '../examples/urql-client';
import { killStarted, startProcess } from './helpers/child';
import { useServers } from './helpers/servers';

/**
 * The client examples (examples/apollo-client.ts, examples/urql-client.ts) against real
 * servers: Bob follows a room, his socket drops while Alice sends, and he resumes with
 * `after` his last cursor: every message arrives once, in order.
 */

const servers = useServers();

afterAll(() => killStarted());

const urls = (): ServiceUrls => ({ apiUrl: servers().httpUrl, wsUrl: servers().wsUrl });

const clients: [string, (urls: ServiceUrls) => ChatClient][] = [
  ['Apollo Client', connectApollo],
  ['urql', connectUrql],
];

describe.each(clients)('%s example', (_name, connect) => {
  test('receives live, loses its socket, resumes with after: every message once, in order', async () => {
    const log: string[] = [];
    const result = await runResumeScenario(() => connect(urls()), (line) => log.push(line));

    expect(result.errors).toEqual([]);
    expect(result.sent.map((m) => m.body)).toEqual(['hi bob', 'how are you?', 'the plan is on', 'are you there?', 'missed me?', 'call me', 'welcome back']);
    // Exactly what Alice sent, before, during and after the drop: no gap, no duplicate.
    expect(result.received.map((e) => e.message.id)).toEqual(result.sent.map((m) => m.id));
    expect(result.received.map((e) => e.kind)).toEqual(result.sent.map(() => 'MESSAGE_ADDED'));
    expect(result.received.map((e) => e.cursor)).toEqual(result.sent.map((m) => m.cursor));
    // The resume went over a new socket: the missed messages came from the server's store.
    expect(result.connections).toBe(2);
    // Alice sent the missed ones after the drop was reported and before Bob resubscribed.
    const at = (start: string) => log.findIndex((line) => line.startsWith(start));
    expect(at("bob's socket drops")).toBeGreaterThan(at('  bob received MESSAGE_ADDED "the plan is on"'));
    expect(at('alice sent "are you there?"')).toBeGreaterThan(at("bob's socket drops"));
    expect(at('bob is back')).toBeGreaterThan(at('alice sent "call me"'));
  });
});

describe.each([['example:apollo', 'examples/apollo-client.ts'], ['example:urql', 'examples/urql-client.ts']])('npm run %s', (_script, entry) => {
  test('plays the scenario against the service on API_PORT / SERVER_PORT / HOST and prints it', async () => {
    const { apiPort, wsPort } = servers();
    const example = startProcess(entry, { API_PORT: String(apiPort), SERVER_PORT: String(wsPort), HOST: '127.0.0.1' });

    const code = await example.exited(30_000);

    expect({ code, stderr: example.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(example.stdout()).toMatch(/bob's socket drops; his subscription fails with .*4499/);
    expect(example.stdout()).toContain('bob received 7 events for the 7 messages alice sent');
  });
});
