import type { Redis } from 'ioredis';
import type { Applied, PresenceEngine, PresenceOp, SweptUser } from './presence-engine';

/**
 * Presence in Redis, shared by every process of a deployment (keys under the channel prefix):
 *
 * - `presence:procs`            sorted set: process id → its last heartbeat (Redis TIME, ms);
 * - `presence:conns:<userId>`   hash: process id → 1 for each process with a socket of the user;
 * - `presence:users:<procId>`   set: the users with a socket on that process (for the sweep).
 *
 * A user is online while their hash is not empty. Each change runs in a Lua script, so
 * "became online" (the hash was empty) and "went offline" (it is empty now) are decided
 * atomically however many processes race. Times come from Redis's clock, so processes
 * with skewed clocks agree on who is dead. Scripts build their keys from the prefix (one
 * Redis server, not a cluster).
 */

/** Removes one process's entries; returns its users left with no process. */
const dropProc = `
local function dropProc(prefix, proc)
  local setKey = prefix .. 'presence:users:' .. proc
  local offline = {}
  for _, user in ipairs(redis.call('SMEMBERS', setKey)) do
    local conns = prefix .. 'presence:conns:' .. user
    redis.call('HDEL', conns, proc)
    if redis.call('HLEN', conns) == 0 then offline[#offline + 1] = user end
    -- The process's socket counts (socket-cap.ts) go with it.
    redis.call('HDEL', prefix .. 'sockets:' .. user, proc)
  end
  redis.call('DEL', setKey)
  redis.call('ZREM', prefix .. 'presence:procs', proc)
  return offline
end
`;

/**
 * ARGV: prefix, procId, then op, userId pairs; returns `+user` / `-user` for each change,
 * and `!` first when this process had no heartbeat entry (swept, or Redis restarted
 * empty): the entry is made now, so what is written here can always be swept, and the
 * caller announces its other users again.
 */
const applyLua = `
local prefix, proc = ARGV[1], ARGV[2]
local procUsers = prefix .. 'presence:users:' .. proc
local changes = {}
local procs = prefix .. 'presence:procs'
if not redis.call('ZSCORE', procs, proc) then
  local time = redis.call('TIME')
  redis.call('ZADD', procs, string.format('%.0f', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)), proc)
  changes[1] = '!'
end
for i = 3, #ARGV, 2 do
  local op, user = ARGV[i], ARGV[i + 1]
  local conns = prefix .. 'presence:conns:' .. user
  if op == '+' then
    local before = redis.call('HLEN', conns)
    redis.call('HSET', conns, proc, 1)
    redis.call('SADD', procUsers, user)
    if before == 0 then changes[#changes + 1] = '+' .. user end
  else
    local removed = redis.call('HDEL', conns, proc)
    redis.call('SREM', procUsers, user)
    if removed == 1 and redis.call('HLEN', conns) == 0 then changes[#changes + 1] = '-' .. user end
  end
end
return changes
`;

/**
 * ARGV: prefix, procId, expiryMs. Records the heartbeat, then claims up to 4 processes
 * silent longer than the expiry (the script is atomic: one sweeper each) and drops them.
 * Returns: 1 when this process was absent (first beat, swept, or Redis lost its data),
 * then user, last-heartbeat pairs of the users who went offline.
 */
const beatLua = `${dropProc}
local prefix, proc, expiry = ARGV[1], ARGV[2], tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local procs = prefix .. 'presence:procs'
local out = { redis.call('ZADD', procs, string.format('%.0f', now), proc) }
local dead = redis.call('ZRANGEBYSCORE', procs, '-inf', string.format('%.0f', now - expiry), 'WITHSCORES', 'LIMIT', 0, 4)
for i = 1, #dead, 2 do
  for _, user in ipairs(dropProc(prefix, dead[i])) do
    out[#out + 1] = user
    out[#out + 1] = dead[i + 1]
  end
end
return out
`;

/** ARGV: prefix, procId. Graceful shutdown: returns this process's users left with no process. */
const leaveLua = `${dropProc}
return dropProc(ARGV[1], ARGV[2])
`;

interface PresenceScripts {
  chatPresenceApply(...args: string[]): Promise<string[]>;
  chatPresenceBeat(...args: string[]): Promise<(string | number)[]>;
  chatPresenceLeave(...args: string[]): Promise<string[]>;
}

export interface RedisPresenceOptions {
  /** A command connection that fails fast while Redis is down (the publisher of redis.ts). */
  client: Redis;
  /** The deployment's Redis prefix (REDIS_CHANNEL_PREFIX). */
  prefix: string;
  /** This process's id: random per start, so a restarted process is a new one. */
  procId: string;
  expiryMs: number;
}

export class RedisPresenceEngine implements PresenceEngine {
  private readonly scripts: PresenceScripts;

  constructor(private readonly options: RedisPresenceOptions) {
    const { client } = options;
    // ioredis runs EVALSHA and falls back to EVAL once when Redis does not know the script.
    client.defineCommand('chatPresenceApply', { numberOfKeys: 0, lua: applyLua });
    client.defineCommand('chatPresenceBeat', { numberOfKeys: 0, lua: beatLua });
    client.defineCommand('chatPresenceLeave', { numberOfKeys: 0, lua: leaveLua });
    this.scripts = client as unknown as PresenceScripts;
  }

  async apply(ops: readonly PresenceOp[]): Promise<Applied> {
    if (ops.length === 0) return { changes: [], lost: false };
    const { prefix, procId } = this.options;
    const args = ops.flatMap((op) => [op.kind, op.userId]);
    const replies = await this.scripts.chatPresenceApply(prefix, procId, ...args);
    const lost = replies[0] === '!';
    const changes = (lost ? replies.slice(1) : replies).map((change) => ({ userId: change.slice(1), online: change[0] === '+' }));
    return { changes, lost };
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const pipeline = this.options.client.pipeline();
    for (const id of userIds) pipeline.exists(`${this.options.prefix}presence:conns:${id}`);
    const replies = (await pipeline.exec()) ?? [];
    const online = new Set<string>();
    replies.forEach(([err, count], i) => {
      if (err) throw err;
      if (Number(count) > 0) online.add(userIds[i]!);
    });
    return online;
  }

  async beat(): Promise<{ lost: boolean; swept: SweptUser[] }> {
    const { prefix, procId, expiryMs } = this.options;
    const [added, ...pairs] = await this.scripts.chatPresenceBeat(prefix, procId, String(expiryMs));
    const swept: SweptUser[] = [];
    for (let i = 0; i < pairs.length; i += 2) swept.push({ userId: String(pairs[i]), at: new Date(Number(pairs[i + 1])) });
    return { lost: Number(added) === 1, swept };
  }

  leaveAll(): Promise<string[]> {
    return this.scripts.chatPresenceLeave(this.options.prefix, this.options.procId);
  }
}
