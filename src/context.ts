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
    log: deps.log.child(user ? { ...bindings, userId: user.id } : bindings),
    requestId,
    user,
    em: deps.orm.em.fork() as SqlEntityManager,
    bus: deps.bus,
    tokens: deps.tokens,
    limiter: deps.limiter,
    clientAddress: info.clientAddress,
  };
}

/**
 * A subscription keeps one context for its lifetime; each delivered event starts with an
 * empty identity map so that it neither grows nor serves stale rows. Clearing (usually an
 * empty map) costs far less than forking a new entity manager per event and subscriber.
 */
export function renewEntityManager(ctx: Context): void {
  ctx.em.clear();
}
