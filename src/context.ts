import { randomUUID } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { AuthUser, TokenService } from './auth';
import type { Config } from './config';
import type { Orm } from './entities/orm';
import type { Logger } from './logger';
import type { EventBus } from './pubsub';
import type { RateLimiter } from './rate-limit';

/** Long-lived services of one process, built once at startup and shared by both servers. */
export interface Deps {
  readonly config: Config;
  readonly log: Logger;
  readonly orm: Orm;
  readonly bus: EventBus;
  readonly tokens: TokenService;
  readonly limiter: RateLimiter;
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
  /** A fork of the ORM's entity manager: one identity map per request (see renewEntityManager). */
  readonly em: SqlEntityManager;
  readonly bus: EventBus;
  readonly tokens: TokenService;
  readonly limiter: RateLimiter;
  readonly clientAddress: string;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/** Reuses a well-formed incoming request id, else makes one. */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && requestIdPattern.test(incoming) ? incoming : randomUUID();
}

export function createContext(deps: Deps, info: TransportInfo): Context {
  const requestId = requestIdFrom(info.requestId);
  const user = deps.tokens.verify(info.token);
  const bindings = info.connectionId ? { requestId, connectionId: info.connectionId } : { requestId };
  return {
    config: deps.config,
    log: lazyLogger(deps.log, user ? { ...bindings, userId: user.id } : bindings),
    requestId,
    user,
    em: lazyEntityManager(deps.orm),
    bus: deps.bus,
    tokens: deps.tokens,
    limiter: deps.limiter,
    clientAddress: info.clientAddress,
  };
}

/**
 * A child logger made on first use: most subscriptions never log, and a pino child
 * (bindings serialized, level methods) would live as long as each of them. A Proxy
 * for the same reason as lazyEntityManager.
 */
function lazyLogger(parent: Logger, bindings: Record<string, string | undefined>): Logger {
  let real: Logger | undefined;
  const target = () => (real ??= parent.child(bindings));
  return new Proxy({} as Logger, {
    get(_, property) {
      const value = Reflect.get(target(), property);
      return typeof value === 'function' ? value.bind(real) : value;
    },
    set: (_, property, value) => Reflect.set(target(), property, value),
    has: (_, property) => Reflect.has(target(), property),
  });
}

const release = Symbol('release');

/**
 * An entity manager forked on first use. A subscription keeps its context (and so its
 * fork, about 4 KB) for as long as it lives, yet its events rarely touch the database:
 * forking lazily keeps idle subscriptions small. A Proxy because envelop merges the
 * context with Object.assign, which would evaluate a getter at once.
 */
function lazyEntityManager(orm: Orm): SqlEntityManager {
  let real: SqlEntityManager | undefined;
  const target = () => (real ??= orm.em.fork() as SqlEntityManager);
  return new Proxy({} as SqlEntityManager, {
    get(_, property) {
      if (property === release) return () => (real = undefined);
      const value = Reflect.get(target(), property);
      return typeof value === 'function' ? value.bind(real) : value;
    },
    set: (_, property, value) => Reflect.set(target(), property, value),
    has: (_, property) => Reflect.has(target(), property),
  });
}

/**
 * Drops the context's fork (the next use forks a new one). A subscription keeps one
 * context for its lifetime: releasing after its subscribe-time checks and before each
 * event keeps it small while idle, and no identity map grows or serves stale rows.
 * A query still running keeps the fork it started on.
 */
export function releaseEntityManager(ctx: Context): void {
  (ctx.em as unknown as Record<symbol, () => void>)[release]!();
}
