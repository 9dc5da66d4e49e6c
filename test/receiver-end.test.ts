import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { endReceiversOnce } from '../src/servers/ws/receiver-end';
import { until } from './helpers/wait';

const Receiver = (WebSocket as unknown as { Receiver: new () => Writable }).Receiver;

/** ws ends a socket's Receiver twice; the second, argument-less end makes no error (src/servers/ws/receiver-end.ts). */
describe("ws's Receiver ended once", () => {
  // Node's own end(), observed: the second end() must not reach it (that is where it makes the error).
  const nodeEnds: unknown[][] = [];
  const nodeEnd = Writable.prototype.end;
  beforeAll(() => {
    Writable.prototype.end = function (this: Writable, ...args: unknown[]) {
      if (this instanceof Receiver) nodeEnds.push(args);
      return (nodeEnd as (...a: unknown[]) => Writable).apply(this, args);
    } as typeof nodeEnd;
    endReceiversOnce();
  });
  afterAll(() => {
    Writable.prototype.end = nodeEnd;
  });

  test('a second end() without arguments stops before Node, which would only make an error for nobody', async () => {
    const receiver = new Receiver();
    receiver.end();
    await new Promise((resolve) => receiver.once('finish', resolve));
    const before = [receiver.writableEnded, receiver.writableFinished, receiver.destroyed];
    const reached = nodeEnds.length;

    expect(receiver.end()).toBe(receiver);
    expect(nodeEnds.length).toBe(reached);
    expect([receiver.writableEnded, receiver.writableFinished, receiver.destroyed]).toEqual(before);
  });

  test('an end() with a callback is still Node’s: the callback hears the stream already finished', async () => {
    const receiver = new Receiver();
    receiver.end();
    await new Promise((resolve) => receiver.once('finish', resolve));
    const error = await new Promise<Error | null | undefined>((resolve) => receiver.end(resolve));
    expect((error as NodeJS.ErrnoException | null)?.code).toBe('ERR_STREAM_ALREADY_FINISHED');
  });

  test('a client that goes away without a close frame still closes its server socket, with 1006', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const closes: number[] = [];
    try {
      server.on('connection', (socket) => socket.on('close', (code) => closes.push(code)));
      const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
      await new Promise((resolve) => client.once('open', resolve));
      client.terminate();
      await until(() => closes.length === 1, 'the server socket closed');
      expect(closes).toEqual([1006]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
