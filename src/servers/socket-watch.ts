import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';

export interface SocketWatchOptions {
  /** Each socket is pinged once per period and terminated if it has not answered by the next ping. */
  keepAliveMs: number;
  /** A socket that has not sent `connection_init` this long after opening is closed with 4408. */
  initWaitMs: number;
}

/**
 * Ticks per keep-alive period: pings go out spread over the period, a slice per tick
 * (20,000 sockets: about 170 pings every 100 ms), not all at once.
 */
const maxSlotsPerPeriod = 120;
/** Short periods (tests) get fewer slots rather than ticks this close together. */
const minTickMs = 10;

/**
 * The heartbeat and the connection-init deadline of every socket of a server, on one
 * timer. graphql-ws/use/ws gives each socket an interval and a timeout of its own (with
 * their closures, about 0.6 KB per idle socket); here a socket is an entry in a set.
 * Sockets are spread over the period's slots, so each tick pings a slice of them.
 */
export class SocketWatch {
  private readonly slots: Set<WebSocket>[];
  private readonly awaitingPong = new Set<WebSocket>();
  /** Sockets still to send `connection_init`, with their deadline; oldest first (insertion order). */
  private readonly awaitingInit = new Map<WebSocket, number>();
  private readonly timer: NodeJS.Timeout;
  private tick = 0;
  private nextSlot = 0;
  private readonly onPong: (this: WebSocket) => void;

  constructor(private readonly options: SocketWatchOptions) {
    const awaitingPong = this.awaitingPong;
    this.onPong = function onPong(this: WebSocket) {
      awaitingPong.delete(this);
    };
    const slotCount = Math.max(1, Math.min(maxSlotsPerPeriod, Math.floor(options.keepAliveMs / minTickMs)));
    this.slots = Array.from({ length: slotCount }, () => new Set());
    // The init deadline is checked on the same ticks: it is met to within one tick.
    this.timer = setInterval(() => this.onTick(), options.keepAliveMs / slotCount);
    this.timer.unref();
  }

  add(socket: WebSocket): void {
    this.slots[this.nextSlot++ % this.slots.length]!.add(socket);
    this.awaitingInit.set(socket, Date.now() + this.options.initWaitMs);
    socket.on('pong', this.onPong);
  }

  /** Every text frame: the first `connection_init` lifts the init deadline. */
  sawMessage(socket: WebSocket, text: string): void {
    if (this.awaitingInit.size > 0 && text.includes('"connection_init"')) this.awaitingInit.delete(socket);
  }

  remove(socket: WebSocket): void {
    // Looking through the slots beats keeping each socket's slot in a map of its own.
    for (const slot of this.slots) if (slot.delete(socket)) break;
    this.awaitingPong.delete(socket);
    this.awaitingInit.delete(socket);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private onTick(): void {
    this.closeUninitialised();
    // Ping one slot per tick, so that every socket is pinged once per keep-alive period.
    const slot = this.slots[this.tick++ % this.slots.length]!;
    for (const socket of slot) this.heartbeat(socket);
  }

  private heartbeat(socket: WebSocket): void {
    if (socket.readyState !== socket.OPEN) return;
    if (this.awaitingPong.has(socket)) {
      // No answer to the previous ping, a whole period ago: the peer is gone.
      this.remove(socket);
      socket.terminate();
      return;
    }
    this.awaitingPong.add(socket);
    socket.ping();
  }

  private closeUninitialised(): void {
    const now = Date.now();
    for (const [socket, deadline] of this.awaitingInit) {
      if (deadline > now) return;
      this.awaitingInit.delete(socket);
      socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }
  }
}
