import type { WebSocket } from 'ws';
import type { PushConsumer, PushSource } from '../../live/event-stream';
import type { DeliveryCounts } from '../../metrics';
import { textFrameHeaderLength, writeFrame, writeTextFrameHeader, writingTogether } from './wire-frames';

/**
 * The bytes of an event's `next` frames, built once per (event, sharing key) and written
 * as they are to every subscriber's socket: a frame sent as a string was concatenated,
 * flattened, measured and UTF-8 encoded again for each socket, the main cost of a
 * fan-out beyond the raw `ws.send` itself. Each is a whole WebSocket frame, its header
 * included (wire-frames.ts), so a socket gets one write and no framing of its own.
 */
export class SharedPayload {
  /** The frame of the first operation id asked for; most subscribers of a key share it ("1", …). */
  private frame: Buffer | null = null;
  private frameId = '';
  /** Where the payload (and the message's closing brace) starts in `frame`. */
  private payloadStart = 0;

  /** @param json the payload (an ExecutionResult) as JSON; dropped once the first frame holds it. */
  constructor(private json: string | null) {}

  /** The whole WebSocket frame of the `next` message for an operation id already escaped for JSON (see quotedIdOf). */
  frameFor(quotedId: string): Buffer {
    if (this.frame === null) return this.keepFirstFrame(quotedId);
    if (quotedId === this.frameId) return this.frame;
    // Another id: its own frame, from the payload bytes already encoded (one copy, no encoding).
    const rest = this.frame.subarray(this.payloadStart);
    return buildFrame(messageHead(quotedId), rest.length, Buffer.allocUnsafe, (frame, at) => rest.copy(frame, at)).frame;
  }

  private keepFirstFrame(quotedId: string): Buffer {
    const json = this.json!;
    // Its own memory, not a slice of Node's shared pool: it lives as long as the event is kept.
    const built = buildFrame(messageHead(quotedId), Buffer.byteLength(json) + 1, Buffer.allocUnsafeSlow, (frame, at) => {
      const written = frame.write(json, at, 'utf8');
      frame[at + written] = closingBrace;
    });
    this.frame = built.frame;
    this.frameId = quotedId;
    this.payloadStart = built.payloadStart;
    this.json = null;
    return built.frame;
  }
}

/** A text frame of `head` followed by `restBytes` bytes that `writeRest` puts at the offset it is given. */
function buildFrame(
  head: string,
  restBytes: number,
  allocate: (size: number) => Buffer,
  writeRest: (frame: Buffer, at: number) => void,
): { frame: Buffer; payloadStart: number } {
  const headBytes = Buffer.byteLength(head);
  const messageBytes = headBytes + restBytes;
  const headerBytes = textFrameHeaderLength(messageBytes);
  const frame = allocate(headerBytes + messageBytes);
  writeTextFrameHeader(frame, messageBytes);
  frame.write(head, headerBytes, 'utf8');
  writeRest(frame, headerBytes + headBytes);
  return { frame, payloadStart: headerBytes + headBytes };
}

const closingBrace = 0x7d;

function messageHead(quotedId: string): string {
  return '{"id":"' + quotedId + '","type":"next","payload":';
}

/** An operation id as it appears inside a frame's quotes: usually the id string itself, no copy. */
export function quotedIdOf(id: string): string {
  const quoted = JSON.stringify(id);
  return quoted.length === id.length + 2 ? id : quoted.slice(1, -1);
}

/** Whom a pending payload wakes once it is known: a subscription's delivery (see SocketDelivery). */
interface PayloadWaiter {
  payloadSettled(): void;
}

/**
 * An event's payload while its one execution is still running (a field read the database).
 * Every subscriber of the key registers here and is woken in one loop when it settles:
 * a promise reaction per subscriber per event (three of them, with the order kept) was most
 * of such a fan-out's cost.
 */
export class PendingPayload {
  /** Set once the execution finished. */
  value: SharedPayload | null = null;
  /** Set once the execution failed (never, but for a bug: the result is masked before). */
  failure: { error: unknown } | null = null;
  private waiters: PayloadWaiter[] | null = [];

  constructor(execution: Promise<SharedPayload>) {
    execution.then(
      (value) => this.settle(value, null),
      (error: unknown) => this.settle(null, { error }),
    );
  }

  get settled(): boolean {
    return this.waiters === null;
  }

  /** Wakes `waiter` once settled; only while it is not. */
  wait(waiter: PayloadWaiter): void {
    this.waiters!.push(waiter);
  }

  private settle(value: SharedPayload | null, failure: { error: unknown } | null): void {
    this.value = value;
    this.failure = failure;
    const waiters = this.waiters!;
    this.waiters = null;
    for (const waiter of waiters) waiter.payloadSettled();
  }
}

/** An event's shared payload, or the pending one while the event is executed. */
export type SerializedPayload = SharedPayload | PendingPayload;

/** Events one subscription may hold while an earlier one is still executed (see queueBehind). */
const maxEventsBehind = 10_000;

/** How every subscription of a server treats its socket: one object shared by all of them. */
export interface DeliveryPolicy<C> {
  /** Past this many bytes queued on the socket, the client is too slow: the subscription stops. */
  maxBufferedBytes: number;
  /** Called once the subscription stopped because its client was too slow: closes its socket (1013). */
  onSlowConsumer(socket: WebSocket, context: C): void;
  /** Frames written (for metrics): a plain number shared by every subscription, no label lookup per frame. */
  readonly counts: DeliveryCounts;
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
 * One subscription written straight to its socket: each event is one `ws.send` of the
 * frame's shared bytes (SharedPayload), with no promise, string or encoding per event
 * per subscriber. Events stay in order even while one of them is still being executed.
 */
export class SocketDelivery<C> implements PushConsumer<unknown>, PayloadWaiter {
  // The options' fields, copied: the options object itself is not kept per subscription.
  private readonly socket: WebSocket;
  private readonly source: PushSource<unknown>;
  private readonly serialize: (event: unknown) => SerializedPayload;
  private readonly policy: DeliveryPolicy<C>;
  private readonly context: C;
  private readonly owner: DeliveryOwner;
  /** The operation id as it appears in a frame (see quotedIdOf). */
  private readonly quotedId: string;
  /** The oldest event not written yet, still being executed: later events wait behind it, in order. */
  private head: PendingPayload | null = null;
  /** Events that came while `head` was pending, oldest first (rare: allocated only then). */
  private behind: SerializedPayload[] | null = null;
  /** What to run once every event received is written (the source ended meanwhile). */
  private whenWritten: (() => void) | null = null;
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
    this.quotedId = quotedIdOf(options.id);
    // The events buffered before this delivery existed (a resume's catch-up) go out together.
    writingTogether(this.socket, () => this.source.consume(this));
  }

  /** An event from the source (PushConsumer). */
  next(event: unknown): void {
    const payload = this.serialize(event);
    if (this.head !== null) return this.queueBehind(payload);
    this.writeOrWait(payload);
  }

  /** The source ended (PushConsumer). */
  done(): void {
    const end = () => this.finish(() => this.owner.deliveryEnded());
    if (this.head === null) end();
    else this.whenWritten = end;
  }

  /** `head` settled (PendingPayload): write it and whatever waited behind it, up to the next pending one. */
  payloadSettled(): void {
    const settled = this.head!;
    this.head = null;
    this.writeOrWait(settled);
    while (this.head === null && this.behind !== null && this.behind.length > 0) this.writeOrWait(this.behind.shift()!);
    if (this.head !== null) return;
    this.behind = null;
    const then = this.whenWritten;
    this.whenWritten = null;
    then?.();
  }

  /**
   * An event waits while the one before it is executed. Bounded as the socket's own buffer
   * is: an execution that hangs (the database stalled) must not queue events without end;
   * past the bound the client is treated as too slow (1013) and resumes from its cursor.
   */
  private queueBehind(payload: SerializedPayload): void {
    const behind = (this.behind ??= []);
    if (behind.length < maxEventsBehind) return void behind.push(payload);
    if (this.stopped) return;
    this.stop();
    this.policy.onSlowConsumer(this.socket, this.context);
  }

  /** Writes the payload if it is known, else waits for it (it becomes `head`). */
  private writeOrWait(payload: SerializedPayload): void {
    if (payload instanceof SharedPayload) return this.write(payload);
    if (payload.value !== null) return this.write(payload.value);
    if (payload.failure !== null) return this.fail(payload.failure.error);
    this.head = payload;
    payload.wait(this);
  }

  /** Stops without a word to the client (it completed the operation, or its socket closed). */
  stop(): void {
    this.finished = true;
    this.halt();
  }

  private write(payload: SharedPayload): void {
    const { socket, policy } = this;
    if (this.stopped || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > policy.maxBufferedBytes) {
      // Stop at once: the socket's own close waits for the client to read what is queued.
      this.stop();
      return policy.onSlowConsumer(socket, this.context);
    }
    writeFrame(socket, payload.frameFor(this.quotedId));
    policy.counts.frames++;
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
