import type { WebSocket } from 'ws';
import type { PushSource } from '../resolvers/event-stream';

/** An event's `next` payload as JSON, or a promise of it while the event is executed. */
export type SerializedPayload = string | Promise<string>;

/** How every subscription of a server treats its socket: one object shared by all of them. */
export interface DeliveryPolicy<C> {
  /** Past this many bytes queued on the socket, the client is too slow: the subscription stops. */
  maxBufferedBytes: number;
  /** Called once the subscription stopped because its client was too slow. */
  onSlowConsumer(socket: WebSocket, context: C): void;
  /** What graphql-ws reports to the client when an event cannot be delivered. */
  onError(err: unknown): Error;
}

export interface SocketDeliveryOptions<C> {
  socket: WebSocket;
  /** The graphql-transport-ws operation id. */
  id: string;
  source: PushSource<unknown>;
  /** The event's payload as JSON (shared by every subscriber with the same key). */
  serialize: (event: unknown) => SerializedPayload;
  policy: DeliveryPolicy<C>;
  /** The operation's context, for the policy's logs. */
  context: C;
}

/**
 * One subscription written straight to its socket: each event is one `ws.send` of a
 * frame built around the shared JSON, with no promise per event and no serialization
 * per subscriber (graphql-ws would await, stringify and send each event separately).
 *
 * graphql-ws still owns the operation's lifecycle: it iterates this handle, which
 * yields nothing and finishes after the last event is written, so its `complete`
 * frame follows every `next`; the client's `complete` and the socket's close call
 * return(), which stops the source.
 */
export class SocketDelivery<C> implements AsyncIterableIterator<never> {
  private readonly framePrefix: string;
  /** Set while an event is still being executed: later events wait behind it, in order. */
  private pending: Promise<void> | null = null;
  private stopped = false;
  private readonly finished: Promise<IteratorResult<never>>;
  private settle!: { resolve: (result: IteratorResult<never>) => void; reject: (err: unknown) => void };

  constructor(private readonly options: SocketDeliveryOptions<C>) {
    this.framePrefix = `{"id":${JSON.stringify(options.id)},"type":"next","payload":`;
    this.finished = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // graphql-ws may never iterate (the client completed first): no unhandled rejection then.
    this.finished.catch(() => undefined);
    options.source.consume(
      (event) => this.deliver(event),
      () => this.afterPending(() => this.settle.resolve({ value: undefined, done: true })),
    );
  }

  private deliver(event: unknown): void {
    const json = this.options.serialize(event);
    if (typeof json === 'string' && this.pending === null) return this.write(json);
    const queued = (this.pending ?? Promise.resolve()).then(() => json).then((text) => this.write(text));
    this.pending = queued;
    queued.then(
      () => this.pending === queued && (this.pending = null),
      (err) => this.fail(err),
    );
  }

  private write(json: string): void {
    const { socket } = this.options;
    if (this.stopped || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.options.policy.maxBufferedBytes) {
      // Stop at once: the socket's own close waits for the client to read what is queued.
      this.stop();
      return this.options.policy.onSlowConsumer(socket, this.options.context);
    }
    socket.send(this.framePrefix + json + '}');
  }

  private afterPending(run: () => void): void {
    if (this.pending) this.pending.then(run, run);
    else run();
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    // Rejected before the source ends, or its end would settle the handle as completed.
    this.settle.reject(this.options.policy.onError(err));
    this.stop();
  }

  private stop(): void {
    this.stopped = true;
    this.options.source.return();
  }

  next(): Promise<IteratorResult<never>> {
    return this.finished;
  }

  return(): Promise<IteratorResult<never>> {
    this.stop();
    this.settle.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<never>> {
    this.stop();
    this.settle.resolve({ value: undefined, done: true });
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
