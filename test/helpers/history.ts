import { decodeCursor } from '../../src/resolvers/pagination';
import type { MessagesQuery, MessagesQueryVariables } from '../gql/graphql';
import { send, type TestUser } from './factories';
import { gqlData } from './http';
import { MessagesDoc } from './operations';
import type { TestServers } from './servers';
import { until } from './wait';

type Servers = Pick<TestServers, 'httpUrl'>;
export type Page = MessagesQuery['messages'];
export type PageArgs = Omit<MessagesQueryVariables, 'roomId'>;
export type Sent = Awaited<ReturnType<typeof send>>;

/** One history page through `Query.messages`. */
export async function readPage(servers: Servers, user: TestUser, roomId: string, args: PageArgs = {}): Promise<Page> {
  return (await gqlData(servers.httpUrl, MessagesDoc, { roomId, ...args }, user.token)).messages;
}

/** Every message of a room, oldest first, read forward in pages of 100. */
export async function readAll(servers: Servers, user: TestUser, roomId: string): Promise<Page['edges']> {
  const edges: Page['edges'] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page = await readPage(servers, user, roomId, { first: 100, after });
    edges.push(...page.edges);
    if (!page.pageInfo.hasNextPage) return edges;
    after = page.pageInfo.endCursor ?? after;
  }
  throw new Error('more than 100 pages of history');
}

/**
 * The room sequence number a cursor names. White-box on purpose: cursors are opaque to
 * clients, but the tests use the number to check history order against send order.
 */
export function seqOf(cursor: string): number {
  return decodeCursor(cursor, null);
}

export function idsOf(edges: Page['edges']): string[] {
  return edges.map((edge) => edge.node.id);
}

/** True when the numbers strictly increase (sorted, no duplicates). */
export function strictlyIncreasing(values: number[]): boolean {
  return values.every((value, i) => i === 0 || value > values[i - 1]!);
}

/**
 * Sends `count` messages through the API, `batchSize` in parallel, batch after batch.
 * Returns the batches: every message of batch k was stored before any of batch k+1.
 */
export async function fillRoom(
  servers: Servers,
  user: TestUser,
  roomId: string,
  count: number,
  batchSize = 10,
): Promise<Sent[][]> {
  const batches: Sent[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const bodies = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => `fill ${start + i}`);
    batches.push(await Promise.all(bodies.map((body) => send(servers, user, roomId, body))));
  }
  return batches;
}

/** Which batch of `fillRoom` each message id came from. */
export function batchIndex(batches: Sent[][]): Map<string, number> {
  return new Map(batches.flatMap((batch, index) => batch.map((message) => [message.id, index] as const)));
}

/** A client that keeps sending, one message at a time, while a test does something else. */
export interface BackgroundSender {
  /** Messages whose send completed, in send order. */
  readonly sent: Sent[];
  /** Resolves once more than `count` messages were sent (or the sender ran out). */
  sentMoreThan(count: number): Promise<void>;
  /** Stops after the send in flight; rethrows a failed send. */
  stop(): Promise<void>;
}

export function startSender(servers: Servers, user: TestUser, roomId: string, max: number): BackgroundSender {
  const sent: Sent[] = [];
  let stopped = false;
  let finished = false;
  const loop = (async () => {
    try {
      for (let i = 0; i < max && !stopped; i++) sent.push(await send(servers, user, roomId, `live ${i}`));
    } finally {
      finished = true;
    }
  })();
  loop.catch(() => undefined); // surfaced by stop(); avoids an unhandled rejection meanwhile
  return {
    sent,
    sentMoreThan: (count) => until(() => sent.length > count || finished, `more than ${count} live messages`),
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
