import type { Context as ProtocolContext } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { ErrorCode, userError } from '../../errors';
import type { Logger } from '../../logger';
import type { DeliveryCounts } from '../../metrics';

/** RFC 6455 close code: try again later (graphql-ws clients reconnect on it). */
export const tryAgainLater = 1013;
/** Close code for a client sending frames faster than MAX_FRAMES_PER_SOCKET_PER_SECOND allows. */
export const tooManyMessages = 4429;
/** The bucket holds this many seconds of frames: a client may burst, not keep it up. */
const burstSeconds = 2;

/**
 * A socket's token bucket of incoming frames: two numbers on its `extra`, refilled when
 * the next frame arrives, never by a timer. rate-limiter-flexible and the like keep a
 * keyed store with an expiry timer per key: more per socket than the whole bucket.
 */
export interface FrameBudget {
  /** Frames the socket may still send now; starts full. */
  frameTokens: number;
  /** When `frameTokens` was last counted (Date.now()). */
  framesCountedAt: number;
}

/** A full bucket, for a new socket. */
export function fullFrameBudget(perSecond: number, now = Date.now()): FrameBudget {
  return { frameTokens: perSecond * burstSeconds, framesCountedAt: now };
}

/** Takes one frame from the bucket; false when it is empty. `perSecond` 0 turns the bound off. */
export function takeFrame(budget: FrameBudget, perSecond: number, now: number): boolean {
  if (perSecond === 0) return true;
  const refilled = budget.frameTokens + ((now - budget.framesCountedAt) * perSecond) / 1000;
  budget.frameTokens = Math.min(perSecond * burstSeconds, refilled);
  budget.framesCountedAt = now;
  if (budget.frameTokens < 1) return false;
  budget.frameTokens -= 1;
  return true;
}

/** Closes a flooding socket with 4429 and stops reading from it: what it sends next is never parsed. */
export function refuseFlood(socket: WebSocket, log: Logger): void {
  if (socket.readyState !== socket.OPEN) return;
  log.warn({ code: tooManyMessages }, 'closing a socket that sends too many messages');
  socket.close(tooManyMessages, 'Too many messages');
  socket.pause();
}

/**
 * True when the socket may take another frame. Past `maxBufferedBytes` undelivered bytes
 * the client is not reading: the socket is closed with 1013 (logged and counted once: a
 * closing socket takes no more frames) and the frame is dropped.
 */
export function hasRoomFor(socket: WebSocket, maxBufferedBytes: number, log: Logger, counts?: DeliveryCounts): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount <= maxBufferedBytes) return true;
  closeSlowConsumer(socket, log, counts);
  return false;
}

/**
 * Closes with 1013 a client that does not keep up (its socket's buffer, or the events
 * waiting in a subscription, past their bound): graphql-ws clients reconnect on 1013 and
 * resume from their cursor. Logged and counted once: a closing socket takes no more frames.
 */
export function closeSlowConsumer(socket: WebSocket, log: Logger, counts?: DeliveryCounts): void {
  if (socket.readyState !== socket.OPEN) return;
  if (counts) counts.slowConsumersClosed++;
  log.warn({ bufferedBytes: socket.bufferedAmount }, 'closing a slow consumer');
  socket.close(tryAgainLater, 'Too many undelivered messages; reconnect and read history');
}

type AnyProtocolContext = ProtocolContext<Record<string, unknown> | undefined, unknown>;

/**
 * True when `ctx` already holds `max` operations besides the one being started
 * (graphql-ws enters an operation in `ctx.subscriptions` before its onSubscribe hook;
 * DirectSubscriptions checks before entering it: `starting` says which). 0 = no cap.
 */
export function isAtOperationCap(ctx: AnyProtocolContext, max: number, starting: 'entered' | 'not entered'): boolean {
  if (max === 0) return false;
  const others = Object.keys(ctx.subscriptions).length - (starting === 'entered' ? 1 : 0);
  return others >= max;
}

/** The error sent (as a graphql-ws `error` message) for an operation past the cap; the socket stays open. */
export function operationCapError(max: number) {
  return userError(ErrorCode.BadUserInput, `At most ${max} operations may run at once on one socket; complete one first.`);
}
