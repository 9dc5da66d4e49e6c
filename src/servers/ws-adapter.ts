import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, type Server } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger';

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
  extraFor(socket: WebSocket, request: IncomingMessage): E;
  /**
   * Sees every text frame first; true when it handled the frame itself (graphql-ws
   * then never sees it). Used for shareable subscriptions (see direct-subscriptions.ts).
   */
  intercept(text: string, extra: E): boolean;
}

/**
 * graphql-ws on a `ws` server: its `graphql-ws/use/ws` adapter, same protocol handling,
 * heartbeat and send pacing (each frame's promise settles when `ws` has written it), with
 * two differences: frames can be intercepted before graphql-ws parses them, and socket
 * errors (a frame over the size limit, say) are logged instead of written to the console.
 */
export function serveGraphqlWs<E extends SocketExtra>(wss: WebSocketServer, server: Server<E>, options: WsAdapterOptions<E>): void {
  wss.options.handleProtocols = handleProtocols;
  wss.on('connection', (socket, request) => {
    const extra = options.extraFor(socket, request);
    socket.once('error', (err) => {
      options.log.warn({ err }, 'WebSocket error; closing the socket');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    const heartbeat = keepAlive(socket, options.keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            const text = String(data);
            if (options.intercept(text, extra)) return;
            handle(text).catch((err: unknown) => {
              options.log.error({ err }, 'graphql-ws failed to handle a message');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      heartbeat.stop();
      void closed(code, String(reason));
    });
  });
}

/** graphql-ws/use/ws's heartbeat: a ping per period, terminate when no pong came back in time. */
function keepAlive(socket: WebSocket, periodMs: number): { stop(): void } {
  let pongWait: NodeJS.Timeout | null = null;
  const interval = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    pongWait = setTimeout(() => socket.terminate(), periodMs);
    socket.once('pong', () => {
      if (pongWait) clearTimeout(pongWait);
      pongWait = null;
    });
    socket.ping();
  }, periodMs);
  return {
    stop() {
      clearInterval(interval);
      if (pongWait) clearTimeout(pongWait);
    },
  };
}
