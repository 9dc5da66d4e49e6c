import type { WebSocket } from 'ws';
import type { PushConsumer, PushSource } from '../live/event-stream';

/** An event's `next` payload as JSON, or a promise of it while the event is executed. */
export type SerializedPayload = string | Promise<string>;

/** How every subscription of a server treats its socket: one object shared by all of them. */
export interface DeliveryPolicy<C> {
  /** Past this many bytes queued on the socket, the client is too slow: the subscription stops. */
  maxBufferedBytes: number;
  /** Called once the subscription stopped because its client was too slow. */
  onSlowConsumer(socket: WebSocket, context: C): void;
}

/** Who hears how a delivery ended (the subscription that owns it). */
export interface DeliveryOwner {
  /** The source ended and every event before its end was written. */
  deliveryEnded(): void;
  /** An event could not be serialized: the delivery has stopped. */
  deliveryFailed(err: unknown): void;
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
  owner: DeliveryOwner;
}

/**
 * One subscription written straight to its socket: each event is one `ws.send` of a
 * frame built around the shared JSON, with no promise per event and no serialization
 * per subscriber. Events stay in order even while one of them is still being executed.
 */
export class SocketDelivery<C> implements PushConsumer<unknown> {
  // The options' fields, copied: the options object itself is not kept per subscription.
  private readonly socket: WebSocket;
  private readonly source: PushSource<unknown>;
  private readonly serialize: (event: unknown) => SerializedPayload;
  private readonly policy: DeliveryPolicy<C>;
  private readonly context: C;
  private readonly owner: DeliveryOwner;
  /** The operation id as it appears in a frame (JSON); built per frame, not kept per subscription. */
  private readonly quotedId: string;
  /** Set while an event is still being executed: later events wait behind it, in order. */
  private pending: Promise<void> | null = null;
  /** No more frames (the client completed, left, or was too slow). */
  private stopped = false;
  /** onEnd or onError ran (or must never run). */
  private finished = false;

  constructor(options: SocketDeliveryOptions<C>) {
    this.socket = options.socket;
    this.source = options.source;
    this.serialize = options.serialize;
    this.policy = options.policy;
    this.context = options.context;
    this.owner = options.owner;
    // Usually the id itself needs no escaping: then the frame reuses the id string.
    const quoted = JSON.stringify(options.id);
    this.quotedId = quoted.length === options.id.length + 2 ? options.id : quoted.slice(1, -1);
    this.source.consume(this);
  }

  /** An event from the source (PushConsumer). */
  next(event: unknown): void {
    const json = this.serialize(event);
    if (typeof json === 'string' && this.pending === null) return this.write(json);
    const queued = (this.pending ?? Promise.resolve()).then(() => json).then((text) => this.write(text));
    this.pending = queued;
    queued.then(
      () => this.pending === queued && (this.pending = null),
      (err) => this.fail(err),
    );
  }

  /** The source ended (PushConsumer). */
  done(): void {
    this.afterPending(() => this.finish(() => this.owner.deliveryEnded()));
  }

  /** Stops without a word to the client (it completed the operation, or its socket closed). */
  stop(): void {
    this.finished = true;
    this.halt();
  }

  private write(json: string): void {
    const { socket, policy } = this;
    if (this.stopped || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > policy.maxBufferedBytes) {
      // Stop at once: the socket's own close waits for the client to read what is queued.
      this.stop();
      return policy.onSlowConsumer(socket, this.context);
    }
    socket.send('{"id":"' + this.quotedId + '","type":"next","payload":' + json + '}');
  }

  private afterPending(run: () => void): void {
    if (this.pending) this.pending.then(run, run);
    else run();
  }

  private fail(err: unknown): void {
    this.finish(() => this.owner.deliveryFailed(err));
    this.halt();
  }

  private finish(report: () => void): void {
    if (this.finished) return;
    this.finished = true;
    report();
  }

  private halt(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.source.return();
  }
}
