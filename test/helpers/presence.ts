import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from '../gql';
import type { TestUser } from './factories';
import { gqlData } from './http';
import type { TestServers } from './servers';
import { until, withTimeout } from './wait';

export const UserPresenceDoc = graphql(`
  query UserPresence($id: ID!) {
    node(id: $id) { ... on User { id online lastSeenAt } }
  }
`);

export const PresenceDoc = graphql(`
  subscription Presence {
    presence { id username online lastSeenAt }
  }
`);

export interface PresenceState {
  online: boolean;
  lastSeenAt: string | null;
}

/** `user`'s presence as `viewer` reads it over HTTP. */
export async function presenceAs(servers: Pick<TestServers, 'httpUrl'>, viewer: TestUser, user: TestUser): Promise<PresenceState> {
  const { node } = await gqlData(servers.httpUrl, UserPresenceDoc, { id: user.id }, viewer.token);
  if (!node || !('online' in node)) throw new Error(`${user.id} is not a user`);
  return { online: node.online, lastSeenAt: node.lastSeenAt ?? null };
}

/** Waits (bounded) until `viewer` reads `user` as online (or offline). Presence is recorded after the ack, asynchronously. */
export async function untilPresence(
  servers: Pick<TestServers, 'httpUrl'>,
  viewer: TestUser,
  user: TestUser,
  online: boolean,
  ms = 5000,
): Promise<PresenceState> {
  let state: PresenceState = { online: !online, lastSeenAt: null };
  await until(async () => (state = await presenceAs(servers, viewer, user)).online === online, `${user.username} ${online ? 'online' : 'offline'}`, ms);
  return state;
}

/**
 * A signed-in socket kept open with no operation (an app in the foreground): a graphql-ws
 * client that is not lazy, resolved once the server acknowledged its connection_init.
 */
export async function openSocket(wsUrl: string, token: string): Promise<Client> {
  let failed: (err: unknown) => void = () => undefined;
  const error = new Promise<never>((_, reject) => (failed = reject));
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams: { token }, onNonLazyError: (err) => failed(err) });
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  await withTimeout(Promise.race([connected, error]), 5000, 'the socket to be acknowledged');
  return client;
}

/** `open(token)` opens a socket on the servers (see openSocket); every one opened by a test is closed after it. */
export function useSockets(servers: () => Pick<TestServers, 'wsUrl'>): (token: string) => Promise<Client> {
  const opened: Client[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((client) => client.dispose()));
  });
  return async (token) => {
    const client = await openSocket(servers().wsUrl, token);
    opened.push(client);
    return client;
  };
}

/** Waits until the servers' process has `count` presence subscriptions (graphql-ws has no "subscribed" ack). */
export function presenceSubscribed(servers: TestServers, count = 1): Promise<void> {
  return until(() => servers.deps.presence.feed.subscriberCount() >= count, `${count} presence subscription(s)`);
}
