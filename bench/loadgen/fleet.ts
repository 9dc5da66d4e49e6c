import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { readTimedFrame, resumableSubscriptionQuery, sendMutation, subscriptionId, subscriptionQuery, timedBody, type TimedDelivery } from '../protocol';

export type Target = 'service' | 'raw';

export interface BenchUser {
  token: string;
  username: string;
}

export interface OpenArgs {
  target: Target;
  url: string;
  /** Subscriber sockets; socket i subscribes to rooms[i % rooms.length] as users[i % users.length]. */
  n: number;
  /** Publisher sockets (no subscription); room r publishes through publisher r % publishers. */
  publishers: number;
  users: BenchUser[];
  rooms: string[];
  /** Handshakes in flight at once. */
  concurrency: number;
  timeoutMs: number;
  /**
   * Subscribers select `cursor` and subscribe with `messageAdded(roomId, after)` (the
   * reconnect storm); `after` comes from the fleet's `afterOf` when a socket is reopened.
   */
  resumable?: boolean;
}

/** Receives every timed delivery (phase 0 is the liveness probe); `frame` is the delivered frame, for hooks that read more of it. */
export type DeliveryHook = (socket: number, delivery: TimedDelivery, frameBytes: number, frame: Buffer) => void;

/** Receives the answer frame of every publish (`p<n>` operation ids, see `lastPublishId`). */
export type PublishedHook = (publishId: number, frame: string) => void;

/** Counters of what went wrong on the sockets. */
export interface FleetErrors {
  /** Sockets that failed to open or were refused during the handshake. */
  openFailures: number;
  /** Subscriptions the server ended (`error`/`complete` on a subscriber). */
  subscriptionErrors: number;
  /** Sends the server answered with errors. */
  sendErrors: number;
  /** Sockets closed by the server after the handshake. */
  unexpectedCloses: number;
  lastCloseCode: number | null;
}

/**
 * The load generator's sockets: subscribers and publishers, speaking graphql-transport-ws
 * (service) or the raw protocol (baseline) directly over `ws`. Delivery frames are
 * recognised by their timed body, never JSON-parsed.
 */
export class Fleet {
  readonly subs: WebSocket[] = [];
  readonly pubs: WebSocket[] = [];
  readonly roomOf: Int32Array;
  readonly roomSubs: number[];
  readonly errors: FleetErrors = { openFailures: 0, subscriptionErrors: 0, sendErrors: 0, unexpectedCloses: 0, lastCloseCode: null };
  onDelivery: DeliveryHook = () => undefined;
  onPublished: PublishedHook = () => undefined;
  /** The cursor a reopened subscriber resumes after (resumable fleets); null: from now. */
  afterOf: (socket: number) => string | null = () => null;
  /** Called as a subscriber's subscribe frame is sent (at open and at every reopen). */
  onSubscribe: (socket: number) => void = () => undefined;
  /** Subscriber sockets acknowledged so far (`subs` may have holes after a failure). */
  opened = 0;
  private closing = false;
  /** Sockets the load generator dropped on purpose: their close is not an error, their late frames are ignored. */
  private readonly dropped = new WeakSet<WebSocket>();
  /** Reused for every delivery: the hook reads it synchronously. */
  private readonly delivery: TimedDelivery = { phase: 0, seq: 0, sentAtMs: 0 };
  private sendCounter = 0;

  constructor(readonly args: OpenArgs) {
    this.roomOf = new Int32Array(args.n).map((_, i) => i % args.rooms.length);
    this.roomSubs = args.rooms.map((_, r) => Math.floor(args.n / args.rooms.length) + (r < args.n % args.rooms.length ? 1 : 0));
  }

  /**
   * Opens publishers then subscribers; resolves when every handshake is acknowledged and
   * every subscribe frame sent, or with what was opened when the deadline came or a
   * handshake failed (no new sockets after that).
   */
  async open(): Promise<{ connectMs: number; opened: number; failure: string | null }> {
    const started = performance.now();
    const deadline = started + this.args.timeoutMs;
    const publishers = Array.from({ length: this.args.publishers }, (_, p) => this.openOne(-1 - p, deadline));
    this.pubs.push(...(await Promise.all(publishers)));
    let next = 0;
    let failure: string | null = null;
    const worker = async () => {
      while (!failure && next < this.args.n) {
        if (performance.now() >= deadline) {
          failure = `deadline: ${this.args.timeoutMs} ms`;
          break;
        }
        const i = next++;
        try {
          this.subs[i] = await this.openOne(i, deadline);
          this.opened++;
        } catch (err) {
          failure ??= (err as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.args.concurrency, this.args.n) }, worker));
    return { connectMs: performance.now() - started, opened: this.opened, failure };
  }

  /** The operation number of the last publish (its frame id is `p<n>`). */
  get lastPublishId(): number {
    return this.sendCounter;
  }

  /** Drops subscriber sockets at once, as a network failure would (no close handshake). */
  drop(indices: number[]): void {
    for (const i of indices) {
      const ws = this.subs[i];
      if (!ws) continue;
      this.dropped.add(ws);
      ws.terminate();
      this.opened--;
    }
  }

  /**
   * Drops many subscriber sockets as `drop` does, `slice` of them per event-loop turn. The
   * kept subscribers' frames are read and timestamped on this thread: dropping 2,500
   * sockets in one turn (their close calls, then their close events) left those frames
   * unread until the turn ended (130-180 ms under a profiler), counted as the server's
   * latency. In slices, frames are read in between, and every socket is still dropped
   * within those same milliseconds.
   */
  async dropInSlices(indices: number[], slice: number): Promise<void> {
    for (let from = 0; from < indices.length; from += slice) {
      if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      this.drop(indices.slice(from, from + slice));
    }
  }

  /**
   * Reopens dropped subscribers, `concurrency` handshakes in flight, each subscribing again
   * (after `afterOf(i)` on a resumable fleet); resolves with what reopened and the first failure.
   */
  async reopen(indices: number[], concurrency: number, timeoutMs: number): Promise<{ reopened: number; failure: string | null }> {
    const deadline = performance.now() + timeoutMs;
    let next = 0;
    let reopened = 0;
    let failure: string | null = null;
    const worker = async () => {
      while (next < indices.length) {
        const i = indices[next++]!;
        try {
          this.subs[i] = await this.openOne(i, deadline);
          this.opened++;
          reopened++;
        } catch (err) {
          failure ??= (err as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, indices.length) }, worker));
    return { reopened, failure };
  }

  /** Publishes one timed message into room r; returns the send time it carries. */
  publish(room: number, phase: number, seq: number, bodyBytes: number): number {
    const sentAt = performance.now();
    const body = timedBody(phase, seq, sentAt, bodyBytes);
    const pub = this.pubs[room % this.pubs.length]!;
    const user = this.args.users[(room % this.pubs.length) % this.args.users.length]!;
    const id = `p${++this.sendCounter}`;
    const roomId = this.args.rooms[room]!;
    pub.send(
      this.args.target === 'service'
        ? JSON.stringify({ id, type: 'subscribe', payload: { query: sendMutation, variables: { roomId, body } } })
        : JSON.stringify({ type: 'pub', id, room: roomId, body, username: user.username }),
    );
    return sentAt;
  }

  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.subs, ...this.pubs].filter(Boolean);
    await Promise.all(
      all.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.terminate();
          }),
      ),
    );
  }

  /** index ≥ 0: subscriber; < 0: publisher −1−index. */
  private openOne(index: number, deadline: number): Promise<WebSocket> {
    const { target, url } = this.args;
    const user = this.args.users[(index >= 0 ? index : -1 - index) % this.args.users.length]!;
    // The client trusts the server's UTF-8: validating every delivery would only slow the load generator.
    const options = { perMessageDeflate: false, skipUTF8Validation: true };
    const ws = target === 'service' ? new WebSocket(url, 'graphql-transport-ws', options) : new WebSocket(url, options);
    return new Promise<WebSocket>((resolve, reject) => {
      let acked = false;
      // The deadline is the whole fleet's (its timeoutMs from the start of opening), not this handshake's own.
      const timer = setTimeout(() => fail(new Error('handshake unfinished at the fleet\'s deadline')), Math.max(1, deadline - performance.now()));
      const fail = (err: Error) => {
        clearTimeout(timer);
        if (!acked) this.errors.openFailures++;
        ws.terminate();
        reject(err);
      };
      ws.on('error', (err) => (acked ? undefined : fail(err)));
      ws.on('close', (code) => {
        if (!acked) return fail(new Error(`closed during the handshake: ${code}`));
        if (this.closing || this.dropped.has(ws)) return;
        this.errors.unexpectedCloses++;
        this.errors.lastCloseCode = code;
      });
      ws.on('open', () => ws.send(target === 'service' ? JSON.stringify({ type: 'connection_init', payload: { token: user.token } }) : JSON.stringify({ type: 'hello', token: user.token })));
      ws.on('message', (data: Buffer) => {
        if (this.dropped.has(ws)) return;
        if (readTimedFrame(data, this.delivery)) return this.onDelivery(index, this.delivery, data.length, data);
        const frame = data.toString('utf8');
        if (acked) return this.control(index, ws, frame);
        if (!frame.includes('"connection_ack"') && !frame.includes('"welcome"')) return fail(new Error(`unexpected handshake frame ${frame.slice(0, 200)}`));
        acked = true;
        clearTimeout(timer);
        if (index >= 0) this.subscribe(ws, index);
        resolve(ws);
      });
    });
  }

  private subscribe(ws: WebSocket, index: number): void {
    const roomId = this.args.rooms[this.roomOf[index]!]!;
    const query = this.args.resumable ? resumableSubscriptionQuery : subscriptionQuery;
    const variables = this.args.resumable ? { roomId, after: this.afterOf(index) } : { roomId };
    ws.send(
      this.args.target === 'service'
        ? JSON.stringify({ id: subscriptionId, type: 'subscribe', payload: { query, variables } })
        : JSON.stringify({ type: 'sub', id: subscriptionId, room: roomId }),
    );
    this.onSubscribe(index);
  }

  /** Frames other than deliveries: answers pings, counts errors; the rest (send results) is ignored. */
  private control(index: number, ws: WebSocket, frame: string): void {
    if (frame.includes('"type":"ping"')) return ws.send('{"type":"pong"}');
    if (index >= 0) {
      if (frame.includes('"type":"error"') || frame.includes('"type":"complete"')) this.errors.subscriptionErrors++;
      return;
    }
    if (frame.includes('"type":"error"') || frame.includes('"errors"')) this.errors.sendErrors++;
    const publishId = /"id":"p(\d+)"/.exec(frame)?.[1];
    if (publishId && frame.includes('"type":"next"')) this.onPublished(Number(publishId), frame);
  }
}
