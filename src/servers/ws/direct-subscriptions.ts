import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { MessageType, validateMessage, type Context as ProtocolContext, type SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Context } from '../../context';
import type { Logger } from '../../logger';
import type { ResultMasker, SharedSubscriptions } from '../graphql/shared-execution';
import { hasRoomFor } from './socket-bounds';
import { SocketDelivery, type DeliveryOwner, type DeliveryPolicy } from './socket-delivery';

/** What graphql-ws's parse/validate hook would produce: null when graphql-ws should handle it. */
export interface DirectOperation {
  args: Omit<ExecutionArgs, 'contextValue'>;
  key: string;
  context(): Promise<Context>;
}

export interface DirectSubscriptionsOptions<E> {
  shared: SharedSubscriptions;
  policy: DeliveryPolicy<Context>;
  mask: ResultMasker;
  /** Turns an unexpected failure into what the client may see. */
  maskError(err: unknown): Error;
  log: Logger;
  /** graphql-ws's state of the socket, once it acknowledged the connection. */
  protocolOf(extra: E): ProtocolContext<Record<string, unknown> | undefined, E> | undefined;
  socketOf(extra: E): WebSocket;
  /** Parses and validates; a shareable subscription only, else null. */
  prepare(extra: E, payload: SubscribePayload): DirectOperation | null;
  /** Counts the operation once it started or was refused (metrics): no errors, or its errors. */
  counted(args: Omit<ExecutionArgs, 'contextValue'>, errors: readonly unknown[] | undefined): void;
}

/**
 * Shareable subscriptions (see shared-execution.ts) taken over from graphql-ws before it
 * parses their `subscribe` frame: they never enter its per-operation machinery (an async
 * function suspended for the subscription's whole life, holding the raw frame, and an
 * emitter per operation), which was most of an idle subscriber's memory. Each one is
 * entered in graphql-ws's registry of the socket, so a duplicate id, the client's
 * `complete` and the socket's close are handled exactly as for any other operation.
 * Anything else (or anything invalid) is left to graphql-ws.
 */
export class DirectSubscriptions<E> {
  constructor(private readonly options: DirectSubscriptionsOptions<E>) {}

  /** True when the frame started a direct subscription. */
  tryHandle(text: string, extra: E): boolean {
    const protocol = this.options.protocolOf(extra);
    if (!protocol?.acknowledged || !text.includes('"subscribe"')) return false;
    const message = subscribeMessage(text);
    if (!message || message.id in protocol.subscriptions) return false;
    const operation = this.options.prepare(extra, message.payload);
    if (!operation) return false;
    const subscription = new DirectSubscription(message.id, this.options.socketOf(extra), protocol, this.options);
    (protocol.subscriptions as Record<string, unknown>)[message.id] = subscription;
    void subscription.start(operation);
    return true;
  }
}

function subscribeMessage(text: string): { id: string; payload: SubscribePayload } | null {
  try {
    const message = validateMessage(JSON.parse(text));
    return message.type === MessageType.Subscribe ? message : null;
  } catch {
    return null;
  }
}

/** True for a registry entry that is a direct subscription (metrics tell them from graphql-ws's own). */
export function isDirectSubscription(entry: unknown): boolean {
  return entry instanceof DirectSubscription;
}

/**
 * One direct subscription, as graphql-ws's registry sees it: an async generator whose
 * return() stops it. It writes its own `next`, `error` and `complete` frames.
 */
class DirectSubscription<E> implements DeliveryOwner {
  private delivery: SocketDelivery<Context> | null = null;
  private stopped = false;

  constructor(
    private readonly id: string,
    private readonly socket: WebSocket,
    private readonly protocol: ProtocolContext<Record<string, unknown> | undefined, E>,
    private readonly options: DirectSubscriptionsOptions<E>,
  ) {}

  /** The operation is not kept: its envelop is needed only until the subscription is live. */
  async start(operation: DirectOperation): Promise<void> {
    try {
      const contextValue = await operation.context();
      if (this.stopped) return;
      const { schema, document, operationName, variableValues } = operation.args;
      // Spelled out: spreading gave every subscription's arguments their own hidden class.
      const args: ExecutionArgs = { schema, document, operationName, variableValues, contextValue };
      const refused = await this.options.shared.subscribeSerialized(args, operation.key, this.options.mask, (source, serialize) => {
        this.delivery = new SocketDelivery({
          socket: this.socket,
          id: this.id,
          source,
          serialize,
          policy: this.options.policy,
          context: contextValue,
          owner: this,
        });
      });
      this.options.counted(operation.args, refused?.errors);
      if (this.delivery) {
        if (this.stopped) this.delivery.stop();
        return;
      }
      // Refused at subscribe time (e.g. FORBIDDEN): graphql-ws sends the result, then `complete`.
      this.send({ id: this.id, type: MessageType.Next, payload: refused });
      this.complete();
    } catch (err) {
      this.options.counted(operation.args, [err]);
      this.error(err);
    }
  }

  /** graphql-ws calls it when the client completes the operation or the socket closes. */
  return(): Promise<IteratorResult<never>> {
    this.stopped = true;
    this.delivery?.stop();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<never>> {
    return Promise.resolve({ value: undefined, done: true });
  }

  deliveryEnded(): void {
    this.complete();
  }

  deliveryFailed(err: unknown): void {
    this.error(err);
  }

  private complete(): void {
    if (this.unregister()) this.send({ id: this.id, type: MessageType.Complete });
  }

  private error(err: unknown): void {
    this.options.log.error({ err, operationId: this.id }, 'a subscription failed');
    const masked = this.options.maskError(err);
    const formatted = masked instanceof GraphQLError ? masked.toJSON() : { message: masked.message };
    if (this.unregister()) this.send({ id: this.id, type: MessageType.Error, payload: [formatted] });
  }

  /** False when graphql-ws already let go of it (the client completed, the socket closed). */
  private unregister(): boolean {
    const subscriptions = this.protocol.subscriptions as Record<string, unknown>;
    if (subscriptions[this.id] !== this) return false;
    delete subscriptions[this.id];
    return true;
  }

  private send(message: { id: string; type: MessageType; payload?: ExecutionResult | unknown[] | null }): void {
    // Bounded like every other frame: a client that does not read is closed with 1013.
    const { policy, log } = this.options;
    if (hasRoomFor(this.socket, policy.maxBufferedBytes, log, policy.counts)) this.socket.send(JSON.stringify(message));
  }
}
