import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { Duplex } from 'node:stream';
import { textFrameHeaderLength, writeFrame, writeTextFrameHeader, writingTogether } from '../src/servers/ws/wire-frames';
import { until } from './helpers/wait';

/** ws's own framing (its Sender's static `frame`), the oracle the headers built here must match. */
const wsFrame = (WebSocket as unknown as { Sender: { frame(data: { length: number }, options: object): Buffer[] } }).Sender.frame;

function textFrameOf(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const headerBytes = textFrameHeaderLength(payload.length);
  const frame = Buffer.alloc(headerBytes + payload.length);
  writeTextFrameHeader(frame, payload.length);
  payload.copy(frame, headerBytes);
  return frame;
}

/**
 * An event's `next` frame is built once with its WebSocket header and written straight to
 * each socket (src/servers/ws/wire-frames.ts): its header must be the one ws would write,
 * and it must never overtake a frame ws still holds.
 */
describe('WebSocket frames built once', () => {
  test.each([0, 1, 125, 126, 127, 65_535, 65_536, 70_000, 2 ** 32 + 5])('the header for a %d-byte payload is the one ws writes', (length) => {
    const [expected] = wsFrame({ length }, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false });
    const header = Buffer.alloc(textFrameHeaderLength(length));
    writeTextFrameHeader(header, length);
    expect(header.equals(expected!)).toBe(true);
  });

  test('a client receives frames written directly, in order with frames ws holds back while it compresses', async () => {
    // Compression is off in the service; here it is on, so ws queues its own frames behind a deflate.
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
    const received: string[] = [];
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      server.on('connection', (socket) => {
        writeFrame(socket, textFrameOf('direct before'));
        socket.send('compressed '.repeat(100), { compress: true });
        writeFrame(socket, textFrameOf('direct while compressing'));
        writeFrame(socket, textFrameOf(`large ${'é'.repeat(40_000)}`));
      });
      const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
      client.on('message', (data: Buffer, isBinary) => received.push(`${isBinary ? 'binary' : 'text'}: ${data.toString('utf8').slice(0, 30)}`));
      await until(() => received.length === 4, 'four messages');
      client.close();
      expect(received).toEqual([
        'text: direct before',
        `text: ${'compressed '.repeat(3).slice(0, 30)}`,
        'text: direct while compressing',
        `text: large ${'é'.repeat(24)}`,
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('frames written together leave in one writev, in order', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    const received: string[] = [];
    // What the socket's TCP stream was asked to do: one write each, or several at once.
    const writes: string[] = [];
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      server.on('connection', (socket) => {
        const stream = (socket as unknown as { _socket: Duplex & { _write: Function; _writev: Function } })._socket;
        const [write, writev] = [stream._write, stream._writev];
        stream._write = function (...args: unknown[]) {
          writes.push('write');
          return write.apply(this, args);
        };
        stream._writev = function (chunks: unknown[], ...rest: unknown[]) {
          writes.push(`writev of ${chunks.length}`);
          return writev.call(this, chunks, ...rest);
        };
        writingTogether(socket, () => {
          for (const n of [1, 2, 3]) writeFrame(socket, textFrameOf(`event ${n}`));
        });
        writeFrame(socket, textFrameOf('event 4'));
      });
      const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
      client.on('message', (data: Buffer) => received.push(data.toString('utf8')));
      await until(() => received.length === 4, 'four messages');
      client.close();
      expect(received).toEqual(['event 1', 'event 2', 'event 3', 'event 4']);
      expect(writes).toEqual(['writev of 3', 'write']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
