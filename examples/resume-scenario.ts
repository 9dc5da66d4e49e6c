/**
 * The scenario both client examples play (apollo-client.ts, urql-client.ts), written once
 * against the few calls a chat screen makes; each example implements them with its library.
 *
 * Alice and Bob register; Alice creates a room and Bob joins. Bob opens the room the way an
 * app should: the latest page of history, then `roomEvents(after: <its last cursor>)`, so
 * nothing sent in between falls in a gap. Alice sends; Bob receives live. Then Bob's socket
 * drops (graphql-ws `terminate()`, as when the network goes) and his subscription fails;
 * Alice sends more over HTTP. Bob resubscribes with `after: <the last cursor he saw>`: the
 * server sends exactly the missed messages, in order, then live ones again.
 *
 * Why the app resubscribes, not graphql-ws: after a reconnect, graphql-ws would subscribe
 * again with the variables it was first given, a stale `after` (duplicates, or a gap with
 * none). So the examples' graphql-ws clients do not retry (`retryAttempts: 0`): a drop fails
 * the subscription, and the app resumes from the last cursor it saw (in a real app: on that
 * error, after a backoff).
 */
import { randomBytes } from 'node:crypto';
import type { Client as WsClient } from 'graphql-ws';
import type { LatestMessagesQuery, RoomEventsSubscription, SendMessageMutation } from './gql/graphql';

export type RoomEvent = RoomEventsSubscription['roomEvents'];
export type SentMessage = SendMessageMutation['sendMessage'];
export type HistoryMessage = LatestMessagesQuery['messages']['edges'][number]['node'];

/** One signed-in user's client: the calls the scenario needs, made with Apollo or urql. */
export interface ChatClient {
  /** Registers, and signs every later request and the WebSocket with the token. */
  register(username: string, password: string): Promise<{ id: string; username: string }>;
  createRoom(name: string): Promise<{ id: string }>;
  joinRoom(roomId: string): Promise<void>;
  sendMessage(roomId: string, body: string): Promise<SentMessage>;
  latestMessages(roomId: string, last: number): Promise<HistoryMessage[]>;
  /** Subscribes to roomEvents(roomId, after); returns the function that unsubscribes. */
  followRoom(roomId: string, after: string | null, onEvent: (event: RoomEvent) => void, onError: (error: unknown) => void): () => void;
  /** The graphql-ws client under the subscriptions (to watch the socket open and close). */
  readonly ws: WsClient;
  close(): Promise<void>;
}

export interface ScenarioResult {
  /** What Alice sent after Bob opened the room, in order. */
  sent: SentMessage[];
  /** Every event Bob received, in order, across both subscriptions. */
  received: RoomEvent[];
  /** How many WebSocket connections Bob opened (2: the resume went over a new one). */
  connections: number;
  errors: unknown[];
}

/** Bob's side of the room: every event received, and a way to wait for the next ones. */
class Inbox {
  readonly events: RoomEvent[] = [];
  readonly errors: unknown[] = [];
  private waiter: (() => void) | null = null;

  add = (event: RoomEvent) => {
    this.events.push(event);
    this.waiter?.();
  };

  fail = (error: unknown) => {
    this.errors.push(error);
    this.waiter?.();
  };

  get lastCursor(): string | null {
    return this.events.at(-1)?.cursor ?? null;
  }

  /** Resolves once `count` events arrived in all; rejects on a subscription error or after `ms`. */
  async waitFor(count: number, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.events.length < count) {
      if (this.errors.length) throw new Error(`subscription failed: ${String(this.errors[0])}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`received ${this.events.length} of ${count} events`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => (clearTimeout(timer), resolve());
      });
    }
  }
}

/** A close event (what graphql-ws fails a subscription with) as "4499 Terminated". */
function closeReason(error: unknown): string {
  const { code, reason } = error as { code?: number; reason?: string };
  return code === undefined ? String(error) : `${code} ${reason}`;
}

const password = 'correct horse battery';

export async function runResumeScenario(connect: () => ChatClient, log: (line: string) => void = console.log): Promise<ScenarioResult> {
  const [alice, bob] = [connect(), connect()];
  let connections = 0;
  bob.ws.on('connected', () => void connections++);
  const inbox = new Inbox();
  let stop = () => {};
  try {
    const suffix = randomBytes(3).toString('hex');
    const names = [(await alice.register(`alice_${suffix}`, password)).username, (await bob.register(`bob_${suffix}`, password)).username];
    log(`registered ${names.join(' and ')}`);
    const room = await alice.createRoom(`general ${suffix}`);
    await alice.sendMessage(room.id, 'welcome!');
    await bob.joinRoom(room.id);

    const sent: SentMessage[] = [];
    const send = async (...bodies: string[]) => {
      for (const body of bodies) {
        sent.push(await alice.sendMessage(room.id, body));
        log(`alice sent "${body}"`);
      }
    };
    const onEvent = (event: RoomEvent) => {
      inbox.add(event);
      log(`  bob received ${event.kind} "${event.message.body}" (cursor ${event.cursor})`);
    };

    // Open the room: the latest page, then every event after its last message.
    const history = await bob.latestMessages(room.id, 20);
    log(`bob opens the room: ${history.map((m) => `"${m.body}"`).join(', ')}`);
    let drop: (error: unknown) => void = () => {};
    const dropped = new Promise<unknown>((resolve) => (drop = resolve));
    stop = bob.followRoom(room.id, history.at(-1)?.cursor ?? null, onEvent, drop);
    await send('hi bob', 'how are you?', 'the plan is on');
    await inbox.waitFor(3);

    bob.ws.terminate();
    log(`bob's socket drops; his subscription fails with ${closeReason(await dropped)}`);
    await send('are you there?', 'missed me?', 'call me');

    log(`bob is back: roomEvents(after: "${inbox.lastCursor}")`);
    stop = bob.followRoom(room.id, inbox.lastCursor, onEvent, inbox.fail);
    await inbox.waitFor(6);
    await send('welcome back');
    await inbox.waitFor(7);
    log(`bob received ${inbox.events.length} events for the ${sent.length} messages alice sent`);
    return { sent, received: inbox.events, connections, errors: inbox.errors };
  } finally {
    stop();
    await Promise.all([alice.close(), bob.close()]);
  }
}
