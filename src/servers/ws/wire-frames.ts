import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * WebSocket text frames built once and written as they are (RFC 6455 §5.2: FIN, opcode 1,
 * unmasked, as a server sends them). `ws.send` frames each message again for every socket:
 * validation, a header allocated, and two writes corked into a writev. A fan-out's event
 * is the same bytes for hundreds of sockets, so its frame is built once (SharedPayload)
 * and each socket gets one write of it.
 */

/** Header bytes before a payload of this many bytes. */
export function textFrameHeaderLength(payloadBytes: number): number {
  return payloadBytes < 126 ? 2 : payloadBytes < 65_536 ? 4 : 10;
}

/** Writes the header of a text frame carrying `payloadBytes` at the start of `frame`. */
export function writeTextFrameHeader(frame: Buffer, payloadBytes: number): void {
  frame[0] = 0x81;
  if (payloadBytes < 126) {
    frame[1] = payloadBytes;
  } else if (payloadBytes < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(payloadBytes, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(payloadBytes / 2 ** 32), 2);
    frame.writeUInt32BE(payloadBytes >>> 0, 6);
  }
}

/** The header length of a frame built by writeTextFrameHeader, read back from its length byte. */
function headerLengthOf(frame: Buffer): number {
  const length = frame[1]! & 0x7f;
  return length < 126 ? 2 : length === 126 ? 4 : 10;
}

/**
 * What this relies on inside ws 8 (its own Sender writes the same way): the TCP stream it
 * writes frames to, and its sender's state, 0 while it writes synchronously. Any other
 * state (compressing, reading a Blob) queues frames; a frame written past that queue would
 * overtake them, so then ws frames it itself. Compression is off here, so that never happens.
 */
interface WsInternals {
  _socket: Duplex;
  _sender: { _state: number };
}

const senderWritesAtOnce = 0;
const asText = { binary: false } as const;

/**
 * Runs `write` with the socket's TCP stream corked: the frames it writes leave in one
 * `writev` when it returns instead of one syscall each (a subscriber resuming a few events
 * behind gets them all at once, and a reconnect storm is thousands of those).
 */
export function writingTogether(socket: WebSocket, write: () => void): void {
  const stream = (socket as unknown as WsInternals)._socket;
  stream.cork();
  try {
    write();
  } finally {
    stream.uncork();
  }
}

/** Writes a whole frame to an open socket, in order with ws's own frames. */
export function writeFrame(socket: WebSocket, frame: Buffer): void {
  const internals = socket as unknown as WsInternals;
  if (internals._sender._state === senderWritesAtOnce) internals._socket.write(frame);
  else socket.send(frame.subarray(headerLengthOf(frame)), asText);
}
