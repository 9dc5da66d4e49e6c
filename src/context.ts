import { randomUUID } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { AuthUser, TokenService } from './auth';
import type { Config } from './config';
import type { Orm } from './entities/orm';
import type { SqlClient } from './entities/sql-client';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Presence } from './live/presence';
import type { EventBus } from './live/pubsub';
import type { RateLimiter } from './rate-limit';
import type { ClientAddressOf } from './client-address';
import type { SocketCap } from './live/socket-cap';
import { createLoaders, type Loaders } from './resolvers/loaders';
import type { RoomChannels } from './live/room-channels';
import type { SessionEnds } from './live/sessions';

/** Long-lived services of one process, built once at startup and shared by both servers. */
export interface Deps {
  readonly config: Config;
  readonly log: Logger;
  readonly orm: Orm;
  /** Plain SQL on the ORM's pool, for the hot paths (see sql-client.ts). */
  readonly sql: SqlClient;
  readonly bus: EventBus;
  /** The rooms this process delivers live, one channel each (see room-channels.ts). */
  readonly rooms: RoomChannels;
  readonly tokens: TokenService;
  readonly limiter: RateLimiter;
  /** Which client address a request counts against (TRUST_PROXY). */
  readonly clientAddressOf: ClientAddressOf;
  /** MAX_SOCKETS_PER_USER across processes (see live/socket-cap.ts). */
  readonly socketCap: SocketCap;
  /** Who is online: this process's sockets, and its `presence` subscribers (see live/presence.ts). */
  readonly presence: Presence;
  /** What `GET /metrics` shows of this process (one registry per services, see metrics.ts). */
  readonly metrics: Metrics;
  /** Ended sessions, known in every process (see live/sessions.ts). */
  readonly sessions: SessionEnds;
}

/** What a transport knows about a request; the only input servers give to createContext. */
export interface TransportInfo {
  readonly token: string | null;
  readonly requestId?: string | null;
  readonly connectionId?: string;
  readonly clientAddress: string;
}

/** Everything a resolver may use; one per HTTP request or WebSocket operation. */
export interface Context {
  readonly config: Config;
  /** Child logger carrying requestId (and connectionId on WebSocket). */
  readonly log: Logger;
  readonly requestId: string;
  /** From a valid JWT; null when there is none. Resolvers call requireUser(ctx). */
  readonly user: AuthUser | null;
  /** A fork of the ORM's entity manager: one identity map per request (see releaseEntityManager). */
  readonly em: SqlEntityManager;
  /**
   * Plain SQL on the connection pool, with no fork (a fork costs ~0.1 ms to build): what
   * the hot paths' hand-written queries run on. Entity operations belong on `em`.
   */
  readonly sql: SqlClient;
  /** Batched reads for fields resolved per parent (replies, reactions); made on first use. */
  readonly loaders: Loaders;
  readonly bus: EventBus;
  readonly rooms: RoomChannels;
  readonly tokens: TokenService;
  readonly limiter: RateLimiter;
  readonly presence: Presence;
  readonly sessions: SessionEnds;
  readonly clientAddress: string;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/** Reuses a well-formed incoming request id, else makes one. */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && requestIdPattern.test(incoming) ? incoming : flatUuid();
}

/**
 * crypto.randomUUID() returns a rope of about twenty concatenated pieces (700 bytes of
 * heap); ids kept for a connection's or a subscription's lifetime are copied flat.
 */
export function flatUuid(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}

export function createContext(deps: Deps, info: TransportInfo): Context {
  const requestId = requestIdFrom(info.requestId);
  const user = deps.tokens.verify(info.token);
  // One fixed shape (pino skips undefined bindings): a spread here gave every context its own hidden class.
  const bindings = { requestId, connectionId: info.connectionId, userId: user?.id };
  return {
    config: deps.config,
    log: lazy(childLogger, { parent: deps.log, bindings }),
    requestId,
    user,
    em: lazy(forkEntityManager, deps.orm),
    sql: deps.sql,
    loaders: lazy(createLoaders, deps.sql),
    bus: deps.bus,
    rooms: deps.rooms,
    tokens: deps.tokens,
    limiter: deps.limiter,
    presence: deps.presence,
    sessions: deps.sessions,
    clientAddress: info.clientAddress,
  };
}

/**
 * An object made on first use, behind a Proxy (envelop merges the context with
 * Object.assign, which would evaluate a getter at once). Every lazy value shares one
 * handler and keeps its state on the proxy's target, so an idle subscription's context
 * holds no closure for it.
 */
interface LazyTarget<A, T extends object> {
  make: (arg: A) => T;
  arg: A;
  real?: T;
}

const release = Symbol('release');

const realOf = <T extends object>(target: LazyTarget<unknown, T>): T => (target.real ??= target.make(target.arg));

const lazyHandler: ProxyHandler<LazyTarget<unknown, object>> = {
  get(target, property) {
    if (property === release) return () => (target.real = undefined);
    const real = realOf(target);
    const value = Reflect.get(real, property);
    return typeof value === 'function' ? value.bind(real) : value;
  },
  set: (target, property, value) => Reflect.set(realOf(target), property, value),
  has: (target, property) => Reflect.has(realOf(target), property),
};

function lazy<A, T extends object>(make: (arg: A) => T, arg: A): T {
  return new Proxy({ make, arg } as LazyTarget<unknown, object>, lazyHandler) as T;
}

/**
 * A subscription keeps its context (and so its fork, about 4 KB) for as long as it
 * lives, yet its events rarely touch the database: forking lazily keeps idle
 * subscriptions small.
 */
const forkEntityManager = (orm: Orm) => orm.em.fork() as SqlEntityManager;

/** Most subscriptions never log: a pino child (bindings serialized, level methods) is made when one does. */
const childLogger = ({ parent, bindings }: { parent: Logger; bindings: Record<string, string | undefined> }) => parent.child(bindings);

/**
 * Drops the context's fork (the next use forks a new one). A subscription keeps one
 * context for its lifetime: releasing after its subscribe-time checks and before each
 * event keeps it small while idle, and no identity map grows or serves stale rows.
 * A query still running keeps the fork it started on.
 */
export function releaseEntityManager(ctx: Context): void {
  (ctx.em as unknown as Record<symbol, () => void>)[release]!();
}
