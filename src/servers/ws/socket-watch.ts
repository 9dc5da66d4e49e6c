import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';

export interface SocketWatchOptions {
  /** Each socket is pinged once per period and terminated if it has not answered by the next ping. */
  keepAliveMs: number;
  /** A socket that has not sent `connection_init` this long after opening is closed with 4408. */
  initWaitMs: number;
  /** Sockets of one address still to send an accepted `connection_init`; 0 = no cap. */
  maxPendingPerAddress: number;
}

/** A socket still to send an accepted `connection_init`: when it must have, and where it comes from. */
interface Pending {
  deadline: number;
  address: string;
}

/**
 * Ticks per keep-alive period: pings go out spread over the period, a slice per tick
 * (20,000 sockets: about 170 pings every 100 ms), not all at once.
 */
const maxSlotsPerPeriod = 120;
/** Short periods (tests) get fewer slots rather than ticks this close together. */
const minTickMs = 10;
/** How long a socket we stopped reading keeps its connection: time for our close frame to reach a reading client. */
const lingerMs = 1000;

/**
 * The heartbeat and the connection-init deadline of every socket of a server, on one
 * timer, and the count of sockets each address has not initialised yet. graphql-ws/use/ws gives each socket an interval and a timeout of its own (with
 * their closures, about 0.6 KB per idle socket); here a socket is an entry in a set.
 * Sockets are spread over the period's slots, so each tick pings a slice of them.
 */
export class SocketWatch {
  private readonly slots: Set<WebSocket>[];
  private readonly awaitingPong = new Set<WebSocket>();
  /** Sockets still to send `connection_init`; oldest first (insertion order). Only these hold an entry. */
  private readonly awaitingInit = new Map<WebSocket, Pending>();
  /** How many of `awaitingInit` each address holds (addresses with none have no entry). */
  private readonly pendingByAddress = new Map<string, number>();
  /** Sockets closed by us and no longer read, with when to terminate them; oldest first. */
  private readonly lingering = new Map<WebSocket, number>();
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

  /** False when `address` already holds the most sockets that have not initialised: refuse the upgrade. */
  admits(address: string): boolean {
    const max = this.options.maxPendingPerAddress;
    return max === 0 || (this.pendingByAddress.get(address) ?? 0) < max;
  }

  add(socket: WebSocket, address: string): void {
    this.slots[this.nextSlot++ % this.slots.length]!.add(socket);
    this.awaitingInit.set(socket, { deadline: Date.now() + this.options.initWaitMs, address });
    this.pendingByAddress.set(address, (this.pendingByAddress.get(address) ?? 0) + 1);
    socket.on('pong', this.onPong);
  }

  /**
   * The socket's `connection_init` was accepted (a valid token): its deadline is lifted and
   * it no longer counts as pending. Only the server's onConnect knows that; no frame's text
   * can stand in for it.
   */
  initialised(socket: WebSocket): void {
    this.settle(socket);
  }

  /**
   * A socket we closed and stopped reading (it flooded us) cannot read the client's close
   * reply, so ws would hold it for its 30 s close timeout: it is terminated about a second
   * later instead, once our close frame had time to reach the client.
   */
  terminateSoon(socket: WebSocket): void {
    this.lingering.set(socket, Date.now() + lingerMs);
  }

  remove(socket: WebSocket): void {
    // Looking through the slots beats keeping each socket's slot in a map of its own.
    for (const slot of this.slots) if (slot.delete(socket)) break;
    this.awaitingPong.delete(socket);
    this.lingering.delete(socket);
    this.settle(socket);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private onTick(): void {
    this.closeUninitialised();
    this.terminateLingering();
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
    for (const [socket, { deadline }] of this.awaitingInit) {
      if (deadline > now) return;
      this.settle(socket);
      socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }
  }

  private terminateLingering(): void {
    const now = Date.now();
    for (const [socket, deadline] of this.lingering) {
      if (deadline > now) return;
      this.lingering.delete(socket);
      socket.terminate();
    }
  }

  /** Ends the socket's pending state (deadline and address count), once. */
  private settle(socket: WebSocket): void {
    const pending = this.awaitingInit.get(socket);
    if (!pending) return;
    this.awaitingInit.delete(socket);
    const left = this.pendingByAddress.get(pending.address)! - 1;
    if (left === 0) this.pendingByAddress.delete(pending.address);
    else this.pendingByAddress.set(pending.address, left);
  }
}
