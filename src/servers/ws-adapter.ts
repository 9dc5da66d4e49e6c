import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, type Server, type WebSocket as ProtocolSocket } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import { SocketWatch } from './socket-watch';

/** What graphql-ws hands back to our hooks for each socket (its `ctx.extra`). */
export interface SocketExtra {
  readonly socket: WebSocket;
  /** The upgrade request; dropped once the socket is authenticated (see ws.ts). */
  request: IncomingMessage | null;
}

export interface WsAdapterOptions<E extends SocketExtra> {
  log: Logger;
  /** Ping period; a socket that does not answer within the next one is terminated. */
  keepAliveMs: number;
  /** A socket that sent no `connection_init` this long after opening is closed with 4408. */
  connectionInitWaitMs: number;
  extraFor(socket: WebSocket, request: IncomingMessage): E;
  /**
   * Sees every text frame first; true when it handled the frame itself (graphql-ws
   * then never sees it). Used for shareable subscriptions (see direct-subscriptions.ts).
   */
  intercept(text: string, extra: E): boolean;
}

/**
 * graphql-ws on a `ws` server: its `graphql-ws/use/ws` adapter, same protocol handling,
 * heartbeat, connection-init deadline and send pacing (each frame's promise settles when
 * `ws` has written it), with three differences: frames can be intercepted before
 * graphql-ws parses them; socket errors (a frame over the size limit, say) are logged
 * instead of written to the console; and the heartbeat and init deadline of every socket
 * run on one timer (SocketWatch) instead of two timers per socket. The `makeServer` given
 * here must have graphql-ws's own init timer off (`connectionInitWaitTimeout: 0`).
 */
export function serveGraphqlWs<E extends SocketExtra>(wss: WebSocketServer, server: Server<E>, options: WsAdapterOptions<E>): { close(): void } {
  wss.options.handleProtocols = handleProtocols;
  const watch = new SocketWatch({ keepAliveMs: options.keepAliveMs, initWaitMs: options.connectionInitWaitMs });
  // One listener function for every socket (`this` is the socket), not a closure each.
  function onSocketError(this: WebSocket, err: Error): void {
    options.log.warn({ err }, 'WebSocket error; closing the socket');
    this.close(CloseCode.InternalServerError, 'Internal server error');
  }
  wss.on('connection', (socket, request) => {
    const extra = options.extraFor(socket, request);
    socket.on('error', onSocketError);
    watch.add(socket);
    const closed = server.opened(new ProtocolTransport(socket, extra, options, watch), extra);
    socket.on('close', (code, reason) => {
      watch.remove(socket);
      void closed(code, String(reason));
    });
  });
  return { close: () => watch.stop() };
}

/** The socket as graphql-ws sees it; methods on a prototype rather than closures per socket. */
class ProtocolTransport<E extends SocketExtra> implements ProtocolSocket {
  constructor(
    private readonly socket: WebSocket,
    private readonly extra: E,
    private readonly options: WsAdapterOptions<E>,
    private readonly watch: SocketWatch,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): Promise<void> {
    const { socket } = this;
    return new Promise<void>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    const { socket, extra, options, watch } = this;
    socket.on('message', (data) => {
      const text = String(data);
      watch.sawMessage(socket, text);
      if (options.intercept(text, extra)) return;
      handle(text).catch((err: unknown) => {
        options.log.error({ err }, 'graphql-ws failed to handle a message');
        socket.close(CloseCode.InternalServerError, 'Internal server error');
      });
    });
  }
}
