import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * The cap on one user's acknowledged WebSockets across every process (MAX_SOCKETS_PER_USER).
 *
 * Each process counts its own sockets per user in memory (the truth for this process) and,
 * with Redis, writes that count into `sockets:<userId>`, a hash of process id → count under
 * the deployment's prefix. It writes absolute counts, never increments, so a write lost
 * while Redis was down is corrected by the user's next connect or close.
 *
 * A dead process's counts must not hold its users back forever. Rather than a heartbeat of
 * its own, the cap reuses presence's (presence-redis.ts): `presence:procs` holds each live
 * process's last heartbeat, and counts of a process missing there or silent longer than the
 * presence expiry are dropped when the hash is next read; presence's sweep of a dead process
 * drops them too.
 *
 * Redis unreachable: the process's own count still applies, the others' are not known;
 * the socket is let in (a cap that refused every connection during an outage would be worse).
 */

/**
 * ARGV: prefix, procId, cap, expiryMs, userId, this process's count with the new socket.
 * Returns 1 and records the count when the total stays within the cap, else 0 (nothing written).
 */
const acquireLua = `
local prefix, proc, cap, expiry, mine = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[6])
local key = prefix .. 'sockets:' .. ARGV[5]
local procs = prefix .. 'presence:procs'
local time = redis.call('TIME')
local oldest = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - expiry
local counts = redis.call('HGETALL', key)
local total = mine
for i = 1, #counts, 2 do
  local other = counts[i]
  if other ~= proc then
    local beat = redis.call('ZSCORE', procs, other)
    if beat and tonumber(beat) >= oldest then total = total + tonumber(counts[i + 1])
    else redis.call('HDEL', key, other) end
  end
end
if total > cap then return 0 end
redis.call('HSET', key, proc, mine)
return 1
`;

interface CapScripts {
  chatSocketCapAcquire(...args: string[]): Promise<number>;
}

export interface SocketCapOptions {
  /** 0: no cap (nothing is counted). */
  cap: number;
  /** A command connection that fails fast while Redis is down; null: this process alone. */
  redis: Redis | null;
  prefix: string;
  /** This process's id in presence (the same one, so presence's heartbeat vouches for its counts). */
  procId: string;
  /** Presence's expiry: a process silent this long is dead. */
  expiryMs: number;
  log: Logger;
}

export class SocketCap {
  private readonly mine = new Map<string, number>();
  private readonly scripts: CapScripts | null;

  constructor(private readonly options: SocketCapOptions) {
    const { redis } = options;
    redis?.defineCommand('chatSocketCapAcquire', { numberOfKeys: 0, lua: acquireLua });
    this.scripts = redis as unknown as CapScripts | null;
  }

  /** Counts a socket of the user about to be acknowledged; false when it would be over the cap (not counted). */
  async acquire(userId: string): Promise<boolean> {
    const { cap, prefix, procId, expiryMs } = this.options;
    if (cap === 0) return true;
    const count = (this.mine.get(userId) ?? 0) + 1;
    if (count > cap) return false;
    // Reserved before Redis answers, so two sockets of one user racing here both count.
    this.mine.set(userId, count);
    if (!this.scripts) return true;
    try {
      if ((await this.scripts.chatSocketCapAcquire(prefix, procId, String(cap), String(expiryMs), userId, String(count))) === 1) return true;
    } catch (err) {
      this.options.log.warn({ err }, 'socket cap: Redis unreachable; counting this process only');
      return true;
    }
    this.release(userId);
    return false;
  }

  /** A counted socket closed. */
  release(userId: string): void {
    if (this.options.cap === 0) return;
    const count = (this.mine.get(userId) ?? 1) - 1;
    if (count > 0) this.mine.set(userId, count);
    else this.mine.delete(userId);
    if (this.options.redis) void this.write(this.options.redis, userId, count);
  }

  private async write(redis: Redis, userId: string, count: number): Promise<void> {
    const key = `${this.options.prefix}sockets:${userId}`;
    try {
      await (count > 0 ? redis.hset(key, this.options.procId, count) : redis.hdel(key, this.options.procId));
    } catch (err) {
      this.options.log.warn({ err }, 'socket cap: could not record a closed socket; the next change of this user corrects it');
    }
  }
}
