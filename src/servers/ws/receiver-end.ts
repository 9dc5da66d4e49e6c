import type { Writable } from 'node:stream';
import WebSocket from 'ws';

/**
 * ws 8 ends a socket's frame parser (its Receiver, a Writable) when the peer's FIN arrives
 * and again when the socket closes. Node answers the second `end()` by constructing an
 * ERR_STREAM_ALREADY_FINISHED error, stack trace and all, that nobody receives (ws passes
 * no callback). A reconnect storm closes thousands of sockets in one event-loop turn: those
 * errors were about 9% of the CPU of closing a socket (perf, 2,500 sockets dropped at once),
 * time every other socket's delivery waited behind.
 *
 * An `end()` without arguments on a Receiver already ending is a no-op in Node (it sets
 * nothing and calls nothing: it only makes that error to hand to a callback), so this skips
 * it; every other call (with a chunk or a callback, or a first end) is Node's own.
 */
export function endReceiversOnce(): void {
  const receiver = (WebSocket as unknown as { Receiver: { prototype: Writable } }).Receiver.prototype;
  if (Object.hasOwn(receiver, 'end')) return;
  const end = receiver.end;
  Object.defineProperty(receiver, 'end', {
    configurable: true,
    writable: true,
    value: function endOnce(this: Writable, ...args: unknown[]) {
      if (args.length === 0 && this.writableEnded && this.writableCorked === 0) return this;
      return (end as (...a: unknown[]) => Writable).apply(this, args);
    },
  });
}
