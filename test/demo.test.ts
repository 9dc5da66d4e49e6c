import { serviceUrls } from '../examples/service-urls';
import { killStarted, startProcess } from './helpers/child';
import { signUp } from './helpers/factories';
import { gqlData } from './helpers/http';
import { UserByUsernameDoc } from './helpers/operations';
import { useServers } from './helpers/servers';

const servers = useServers();

afterAll(() => killStarted());

describe('npm run demo (examples/chat-demo.ts)', () => {
  test('reaches a service started on other ports through the same API_PORT, SERVER_PORT and HOST', async () => {
    const { apiPort, wsPort } = servers();
    const demo = startProcess('examples/chat-demo.ts', { API_PORT: String(apiPort), SERVER_PORT: String(wsPort), HOST: '127.0.0.1' });

    const code = await demo.exited(30_000);

    expect({ code, stderr: demo.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(demo.stdout()).toContain('psst, private');
    // Bob's chat list counted alice's five messages, and his markRead reached alice live.
    expect(demo.stdout()).toContain('"unreadCount":5');
    expect(demo.stdout()).toMatch(/sees read marker.*"lastRead":\{"body":"hello #5"\}/);
    // The users it signed up are in these servers' database: it talked to them, not to some other service.
    const [, alice] = /signed up (\S+) and (\S+)/.exec(demo.stdout()) ?? [];
    const viewer = await signUp(servers(), 'viewer');
    const { userByUsername } = await gqlData(servers().httpUrl, UserByUsernameDoc, { username: alice! }, viewer.token);
    expect(userByUsername?.username).toBe(alice);
  });

  test('API_URL and WS_URL, when set, win over the ports', () => {
    const env = { API_PORT: '9001', SERVER_PORT: '9002', API_URL: 'https://chat.example/graphql', WS_URL: 'wss://chat.example/graphql' };
    expect(serviceUrls(env)).toEqual({ apiUrl: 'https://chat.example/graphql', wsUrl: 'wss://chat.example/graphql' });
  });

  test('with nothing set it uses the service defaults, and a wildcard HOST is reached on localhost', () => {
    const expected = { apiUrl: 'http://localhost:8081/graphql', wsUrl: 'ws://localhost:8080/graphql' };
    expect(serviceUrls({})).toEqual(expected);
    expect(serviceUrls({ HOST: '0.0.0.0' })).toEqual(expected);
  });
});
