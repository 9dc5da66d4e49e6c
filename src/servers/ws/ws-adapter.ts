import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, type Server, type WebSocket as ProtocolSocket } from 'graphql-ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../logger';
import type { DeliveryCounts } from '../../metrics';
import { endReceiversOnce } from './receiver-end';
import { hasRoomFor, refuseFlood, takeFrame, type FrameBudget } from './socket-bounds';
import { SocketWatch } from './socket-watch';
import { TeardownQueue } from './teardown-queue';

/** What graphql-ws hands back to our hooks for each socket (its `ctx.extra`). */
export interface SocketExtra extends FrameBudget {
  readonly socket: WebSocket;
  /** The upgrade request; dropped once the socket is authenticated (see ws.ts). */
  request: IncomingMessage | null;
}

export interface WsAdapterOptions<E extends SocketExtra> {
  log: Logger;
  /** Ping period; a socket that does not answer within the next one is terminated. */
  keepAliveMs: number;
  /** A socket that sent no accepted `connection_init` this long after opening is closed with 4408. */
  connectionInitWaitMs: number;
  /** Sockets of one address not initialised yet; the next upgrade gets HTTP 429. 0 = no cap. */
  maxPendingPerAddress: number;
  /** Frames a socket may send per second on average (bursts of 2 s); past it, close 4429. 0 = no bound. */
  maxFramesPerSecond: number;
  /** Undelivered bytes on a socket past which it is closed with 1013 (every frame we send). */
  maxBufferedBytes: number;
  /** Where sockets closed with 1013 are counted (metrics). */
  counts: DeliveryCounts;
  extraFor(socket: WebSocket, request: IncomingMessage): E;
  /** Which client address the pending-socket cap counts (TRUST_PROXY); default: the socket's. */
  clientAddressOf?: (request: IncomingMessage) => string;
  /**
   * Sees every text frame first; true when it handled the frame itself (graphql-ws
   * then never sees it). Used for shareable subscriptions (see direct-subscriptions.ts).
   */
  intercept(text: string, extra: E): boolean;
}

/** What the server tells the adapter about its sockets. */
export interface WsAdapter {
  /** The socket's `connection_init` was accepted: lift its deadline, stop counting it as pending. */
  initialised(socket: WebSocket): void;
  close(): void;
  /** Resolves once every socket closed so far is torn down (see TeardownQueue). */
  tornDown(): Promise<void>;
}

/** Closed sockets torn down per event-loop turn (see TeardownQueue; 25, 50 and 100 measured alike). */
const teardownsPerTurn = 50;

/**
 * graphql-ws on a `ws` server: its `graphql-ws/use/ws` adapter, same protocol handling,
 * heartbeat, connection-init deadline and send pacing (each frame's promise settles when
 * `ws` has written it), with these differences: frames can be intercepted before
 * graphql-ws parses them; socket errors (a frame over the size limit, say) are logged
 * instead of written to the console; the heartbeat and init deadline of every socket
 * run on one timer (SocketWatch) instead of two timers per socket; and every socket is
 * bounded (issue 14): pending sockets per address, incoming frames per second, and
 * undelivered outgoing bytes, pongs included; and closed sockets are torn down a bounded
 * number per event-loop turn (TeardownQueue). The `makeServer` given here must have
 * graphql-ws's own init timer off (`connectionInitWaitTimeout: 0`).
 */
export function serveGraphqlWs<E extends SocketExtra>(wss: WebSocketServer, server: Server<E>, options: WsAdapterOptions<E>): WsAdapter {
  wss.options.handleProtocols = handleProtocols;
  endReceiversOnce();
  const watch = new SocketWatch({
    keepAliveMs: options.keepAliveMs,
    initWaitMs: options.connectionInitWaitMs,
    maxPendingPerAddress: options.maxPendingPerAddress,
  });
  const addressOf = options.clientAddressOf ?? socketAddressOf;
  // Called synchronously before 'connection' (ws completes the upgrade in the callback), so the count cannot race.
  wss.options.verifyClient = (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
    watch.admits(addressOf(info.req)) ? done(true) : done(false, 429, 'Too many sockets waiting for connection_init');
  // One listener function for every socket (`this` is the socket), not a closure each.
  // ws emits 'error' at most once per socket.
  function onSocketError(this: WebSocket, err: Error): void {
    options.log.warn({ err }, 'WebSocket error; closing the socket');
    this.close(CloseCode.InternalServerError, 'Internal server error');
  }
  const teardowns = new TeardownQueue(teardownsPerTurn, (err) => options.log.error({ err }, 'could not tear down a closed socket'));
  wss.on('connection', (socket, request) => {
    const extra = options.extraFor(socket, request);
    socket.on('error', onSocketError);
    watch.add(socket, addressOf(request));
    const closed = server.opened(new ProtocolTransport(socket, extra, options, watch), extra);
    socket.on('close', (code, reason) => {
      watch.remove(socket);
      teardowns.push(() => void closed(code, String(reason)));
    });
  });
  return { initialised: (socket) => watch.initialised(socket), close: () => watch.stop(), tornDown: () => teardowns.drained() };
}

const socketAddressOf = (request: IncomingMessage) => request.socket.remoteAddress ?? 'unknown';

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

  /**
   * Never rejects: a frame that cannot be written belongs to a socket that is going away,
   * and its close says so once (a rejection here was one error line per queued frame).
   */
  send(data: string): Promise<void> {
    const { socket, options } = this;
    return new Promise<void>((resolve) => {
      if (!hasRoomFor(socket, options.maxBufferedBytes, options.log, options.counts)) return resolve();
      socket.send(data, () => resolve());
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    const { socket, extra, options, watch } = this;
    // One closure for both events: a WebSocket-level ping costs a pong (ws answers it itself), so it
    // counts against the same budget; it is told apart by having no `isBinary` argument.
    const onFrame = (data: RawData, isBinary?: boolean) => {
      // A closing socket (too slow, flooding, refused) has nothing more handled.
      if (socket.readyState !== socket.OPEN) return;
      if (!takeFrame(extra, options.maxFramesPerSecond, Date.now())) {
        refuseFlood(socket, options.log);
        return watch.terminateSoon(socket);
      }
      if (isBinary === undefined) return;
      const text = String(data);
      if (options.intercept(text, extra)) return;
      handle(text).catch((err: unknown) => {
        if (socket.readyState !== socket.OPEN) return;
        options.log.error({ err }, 'graphql-ws failed to handle a message');
        socket.close(CloseCode.InternalServerError, 'Internal server error');
      });
    };
    socket.on('message', onFrame);
    socket.on('ping', onFrame);
  }
}
