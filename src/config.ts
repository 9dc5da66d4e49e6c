import { resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/** Which process is starting: both servers in one process, or one tier of a split deployment. */
export type RunMode = 'all' | 'api' | 'ws';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A limit: a whole number, 0 turning it off. */
const limit = z.coerce.number().int().min(0);

/** Every environment variable the service reads, with its default. */
const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: port.default(8081),
  SERVER_PORT: port.default(8080),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  DB_URL: z.string().min(1).optional(),
  // At least 2: migrations hold an advisory lock on one connection while running on another.
  DB_POOL_SIZE: positiveInt.min(2).max(1000).default(10),
  DB_QUERY_TIMEOUT_MS: positiveInt.default(10_000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  JWT_SECRET: z.string().min(1).optional(),
  JWT_TTL_SECONDS: positiveInt.default(15 * 60),
  REFRESH_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MIGRATE_ON_START: flag.default('true'),
  COMPACT_HEAP: flag.default('true'),
  PRETENURE_OBJECTS: flag.default('false'),
  TYPING_TIMEOUT_MS: positiveInt.default(6000),
  PRESENCE_HEARTBEAT_MS: positiveInt.default(10_000),
  PRESENCE_EXPIRY_MS: positiveInt.default(30_000),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  RATE_LIMIT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  // Per-bucket limits (rate-limit.ts); unset, each takes its group's value above (auth or messages) or its own default.
  RATE_LIMIT_REGISTER_PER_MINUTE: limit.optional(),
  RATE_LIMIT_LOGIN_PER_MINUTE: limit.optional(),
  RATE_LIMIT_LOGIN_PER_USERNAME_PER_MINUTE: limit.optional(),
  RATE_LIMIT_SENDS_PER_MINUTE: limit.optional(),
  RATE_LIMIT_CHANGES_PER_MINUTE: limit.optional(),
  RATE_LIMIT_TYPING_PER_MINUTE: limit.optional(),
  // Which client address counts (client-address.ts): unset or 0 never trusts X-Forwarded-For.
  TRUST_PROXY: z.string().optional(),
  MAX_SOCKETS_PER_USER: limit.default(20),
  // Bounded work (see the README's "Limits"); 0 turns each one off.
  MAX_QUERY_COST: limit.default(5000),
  MAX_RESPONSE_BYTES: limit.default(8 * 1024 * 1024),
  MAX_OPERATIONS_PER_SOCKET: limit.default(100),
  MAX_PENDING_SOCKETS_PER_ADDRESS: limit.default(100),
  MAX_CONNECTIONS: limit.default(50_000),
  MAX_FRAMES_PER_SOCKET_PER_SECOND: limit.default(100),
  HTTP_HEADERS_TIMEOUT_MS: limit.default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: limit.default(30_000),
  HTTP_IDLE_TIMEOUT_MS: limit.default(5_000),
  // Outside production GraphiQL, introspection and any origin are on; in production, off unless set.
  GRAPHIQL: flag.optional(),
  INTROSPECTION: flag.optional(),
  CORS_ORIGINS: z.string().optional(),
  REDIS_CHANNEL_PREFIX: z.string().max(64).default('chat:'),
  // The WebSocket URL the web app connects to (GET /app-config.json); unset: the API's host with SERVER_PORT.
  PUBLIC_WS_URL: z.string().url().regex(/^wss?:\/\//, 'must start with ws:// or wss://').optional(),
});

export type Env = Record<string, string | undefined>;

/** Where the data lives: the embedded PGlite directory, or a PostgreSQL server. */
export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; clientUrl: string; poolSize: number; queryTimeoutMs: number };

/** The validated, frozen settings of one process. Only entry points build it. */
export interface Config {
  readonly mode: RunMode;
  readonly isProduction: boolean;
  readonly host: string;
  readonly apiPort: number;
  readonly wsPort: number;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly redisUrl: string | null;
  /** Null outside production when unset: the entry point generates one into DATA_DIR. */
  readonly jwtSecret: string | null;
  readonly jwtTtlSeconds: number;
  /** How long a refresh token (and so a session left alone) stays valid. */
  readonly refreshTtlSeconds: number;
  readonly logLevel: string;
  readonly migrateOnStart: boolean;
  /** Every full GC compacts the JS heap (servers/heap-compaction.ts). */
  readonly compactHeap: boolean;
  /** V8 may allocate objects straight into the old generation (its default; servers/pretenuring.ts). */
  readonly pretenureObjects: boolean;
  readonly typingTimeoutMs: number;
  /** Presence timings (live/presence.ts): see PresenceTimings. */
  readonly presence: PresenceTimings;
  /** Requests per minute in each bucket (rate-limit.ts); 0 turns a bucket off. */
  readonly rateLimits: RateLimits;
  readonly limits: typeof limits;
  /** Bounds on the work one request, socket or address may cause; 0 turns one off. */
  readonly bounds: Bounds;
  /** Serve GraphiQL at GET /graphql (default: outside production only). */
  readonly graphiql: boolean;
  /** Answer introspection queries (default: outside production only). */
  readonly introspection: boolean;
  /** Origins allowed to call the API from a browser: `*` any, `[]` none (production's default). */
  readonly corsOrigins: readonly string[];
  /** Prefix of every Redis pub/sub channel, so several deployments can share a Redis server. */
  readonly redisChannelPrefix: string;
  /** Which proxies' X-Forwarded-For is believed (client-address.ts); `false` trusts none. */
  readonly trustProxy: TrustProxy;
  /** Acknowledged WebSockets one user may have open across every process; 0 is no cap. */
  readonly maxSocketsPerUser: number;
  /**
   * The graphql-ws URL the web app is told to use (PUBLIC_WS_URL), e.g. behind a proxy that
   * serves WebSockets on another host; unset, the app uses the API's host with `wsPort`.
   */
  readonly publicWsUrl?: string;
}

/** Per-minute budgets (README, "Rate limits"); 0 turns one off. */
export interface RateLimits {
  /** `register` per client address. */
  readonly register: number;
  /** `login` per client address. */
  readonly login: number;
  /** Failed `login`s per username, from any address (password guessing against one account). */
  readonly loginUsername: number;
  /** `sendMessage` per user. */
  readonly send: number;
  /** Edits, deletes and reactions per user. */
  readonly change: number;
  /** `setTyping` per user. */
  readonly typing: number;
}

/** `TRUST_PROXY`: trust nothing, the nearest N hops, or the proxies at these addresses/CIDRs. */
export type TrustProxy = false | { readonly hops: number } | { readonly addresses: readonly string[] };

/** How presence is kept (README, "Configuration"; docs/architecture.md, "Presence"). */
export interface PresenceTimings {
  /** How often a process tells Redis it is alive, and sweeps processes that stopped doing so. */
  readonly heartbeatMs: number;
  /** A process silent this long is dead: its users go offline (at most expiry + heartbeat after it died). */
  readonly expiryMs: number;
  /** How long after a user's last socket closes they still count as online (a quick reconnect does not flap). */
  readonly graceMs: number;
}

/** Bounds on work (README, "Limits"); each is 0 when turned off. */
export interface Bounds {
  /** Highest estimated cost of one operation (lists count by their page size). */
  readonly maxQueryCost: number;
  /** Largest serialized result of one operation, in bytes. */
  readonly maxResponseBytes: number;
  /** Operations (subscriptions, queries, mutations) running at once on one WebSocket. */
  readonly maxOperationsPerSocket: number;
  /** WebSockets of one address that have not sent `connection_init` yet. */
  readonly maxPendingSocketsPerAddress: number;
  /** Open connections per server (the API and the WebSocket server each). */
  readonly maxConnections: number;
  /** Frames one WebSocket may send per second, on average. */
  readonly maxFramesPerSocketPerSecond: number;
  /** How long a client may take to send a request's headers, a whole request, and how long an idle keep-alive connection stays. */
  readonly httpHeadersTimeoutMs: number;
  readonly httpRequestTimeoutMs: number;
  readonly httpIdleTimeoutMs: number;
}

/** Protocol limits from DESIGN.md; not configurable because clients rely on them. */
export const limits = Object.freeze({
  maxDepth: 15,
  maxAliases: 50,
  /** Lexical tokens of one document (names, punctuation, values): bounds parsing and every rule after it. */
  maxTokens: 10_000,
  /** Directives (`@include`, `@skip`) in one operation, fragments included. */
  maxDirectives: 50,
  maxPayloadBytes: 1024 * 1024,
  /** Undelivered bytes queued on one WebSocket before its client counts as too slow. */
  maxSocketBufferedBytes: 1024 * 1024,
  maxPageSize: 100,
  defaultPageSize: 50,
});

/** Thrown when the environment is invalid; its message lists every problem by variable name. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment once; throws ConfigError naming each bad variable. */
export function loadConfig(env: Env, mode: RunMode = 'all'): Config {
  const raw = stripEmpty(env);
  const parsed = envSchema.safeParse(raw);
  // Checked on the raw values too, so that one run reports invalid values and missing settings together.
  const isProduction = raw.NODE_ENV === 'production';
  const problems = [...secretProblems(raw.JWT_SECRET, isProduction), ...splitTierProblems(raw, mode)];
  if (!parsed.success) {
    throw new ConfigError([...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), ...problems]);
  }
  const e = parsed.data;
  const database = databaseConfig(e, problems);
  problems.push(...corsProblems(e.CORS_ORIGINS));
  const trustProxy = parseTrustProxy(e.TRUST_PROXY, problems);
  // A process must beat at least twice within the expiry, or a live one could be swept.
  if (e.PRESENCE_EXPIRY_MS < 2 * e.PRESENCE_HEARTBEAT_MS) problems.push('PRESENCE_EXPIRY_MS: must be at least twice PRESENCE_HEARTBEAT_MS');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    mode,
    isProduction,
    host: e.HOST,
    apiPort: e.API_PORT,
    wsPort: e.SERVER_PORT,
    dataDir: resolve(e.DATA_DIR),
    database,
    redisUrl: e.REDIS_URL ?? null,
    jwtSecret: e.JWT_SECRET ?? null,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    refreshTtlSeconds: e.REFRESH_TTL_SECONDS,
    logLevel: e.LOG_LEVEL,
    migrateOnStart: e.MIGRATE_ON_START,
    compactHeap: e.COMPACT_HEAP,
    pretenureObjects: e.PRETENURE_OBJECTS,
    typingTimeoutMs: e.TYPING_TIMEOUT_MS,
    presence: Object.freeze({ heartbeatMs: e.PRESENCE_HEARTBEAT_MS, expiryMs: e.PRESENCE_EXPIRY_MS, graceMs: e.PRESENCE_GRACE_MS }),
    rateLimits: rateLimits(e),
    limits,
    bounds: Object.freeze({
      maxQueryCost: e.MAX_QUERY_COST,
      maxResponseBytes: e.MAX_RESPONSE_BYTES,
      maxOperationsPerSocket: e.MAX_OPERATIONS_PER_SOCKET,
      maxPendingSocketsPerAddress: e.MAX_PENDING_SOCKETS_PER_ADDRESS,
      maxConnections: e.MAX_CONNECTIONS,
      maxFramesPerSocketPerSecond: e.MAX_FRAMES_PER_SOCKET_PER_SECOND,
      httpHeadersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      httpIdleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
    }),
    graphiql: e.GRAPHIQL ?? !isProduction,
    introspection: e.INTROSPECTION ?? !isProduction,
    corsOrigins: Object.freeze(corsOrigins(e.CORS_ORIGINS, isProduction)),
    redisChannelPrefix: e.REDIS_CHANNEL_PREFIX,
    trustProxy,
    maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
    publicWsUrl: e.PUBLIC_WS_URL,
  });
}

/**
 * Each bucket's own variable, else its group's (RATE_LIMIT_AUTH_PER_MINUTE or
 * RATE_LIMIT_MESSAGES_PER_MINUTE, so `0` there turns the whole group off), else its default.
 */
function rateLimits(e: z.infer<typeof envSchema>): RateLimits {
  const auth = (own: number | undefined, fallback: number) => own ?? (e.RATE_LIMIT_AUTH_PER_MINUTE === 0 ? 0 : fallback);
  const messages = (own: number | undefined, fallback: number) => own ?? (e.RATE_LIMIT_MESSAGES_PER_MINUTE === 0 ? 0 : fallback);
  return Object.freeze({
    register: e.RATE_LIMIT_REGISTER_PER_MINUTE ?? e.RATE_LIMIT_AUTH_PER_MINUTE,
    login: e.RATE_LIMIT_LOGIN_PER_MINUTE ?? e.RATE_LIMIT_AUTH_PER_MINUTE,
    // A person retyping a password fails a few times a minute; a guessing run, thousands.
    loginUsername: auth(e.RATE_LIMIT_LOGIN_PER_USERNAME_PER_MINUTE, 20),
    send: e.RATE_LIMIT_SENDS_PER_MINUTE ?? e.RATE_LIMIT_MESSAGES_PER_MINUTE,
    change: messages(e.RATE_LIMIT_CHANGES_PER_MINUTE, 600),
    // Clients refresh typing every few seconds; 10 a second is far above any keyboard.
    typing: messages(e.RATE_LIMIT_TYPING_PER_MINUTE, 600),
  });
}

/**
 * `TRUST_PROXY`: unset, `0` or `false`: X-Forwarded-For is ignored (the socket's address
 * counts); a number N: the N nearest hops are proxies; otherwise a comma-separated list
 * of addresses, CIDRs or proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`).
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '0' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Object.freeze({ hops: Number(value) });
  const addresses = value.split(',').map((a) => a.trim()).filter((a) => a !== '');
  try {
    proxyaddr.compile(addresses);
  } catch (err) {
    problems.push(`TRUST_PROXY: expected a hop count or addresses/CIDRs (${(err as Error).message})`);
  }
  return Object.freeze({ addresses: Object.freeze(addresses) });
}

/** Each entry must be `*` or an origin such as `https://chat.example.com` (`null` is never allowed). */
function corsProblems(raw: string | undefined): string[] {
  const bad = corsOrigins(raw ?? '', false).filter((origin) => origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin));
  return bad.length ? [`CORS_ORIGINS: not an origin (scheme://host[:port]): ${bad.join(', ')}`] : [];
}

/** `CORS_ORIGINS`: a comma-separated list of origins, or `*`; unset: `*` outside production, none in it. */
function corsOrigins(raw: string | undefined, isProduction: boolean): string[] {
  if (raw === undefined) return isProduction ? [] : ['*'];
  return raw.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
}

function stripEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

function secretProblems(secret: string | undefined, isProduction: boolean): string[] {
  if (!isProduction) return [];
  if (!secret) return ['JWT_SECRET: required when NODE_ENV=production'];
  if (secret.length < 32) return ['JWT_SECRET: must be at least 32 characters in production'];
  return [];
}

/** Two processes cannot share an embedded database or an in-process PubSub. */
function splitTierProblems(e: Env, mode: RunMode): string[] {
  if (mode === 'all') return [];
  const problems: string[] = [];
  const why = `required by start:${mode}: separate processes cannot share the embedded database or in-process PubSub`;
  if (!e.DATABASE_URL && !e.DB_URL) problems.push(`DATABASE_URL (or DB_URL): ${why}`);
  if (!e.REDIS_URL) problems.push(`REDIS_URL: ${why}`);
  return problems;
}

function databaseConfig(e: z.infer<typeof envSchema>, problems: string[]): DatabaseConfig {
  const raw = e.DATABASE_URL ?? e.DB_URL;
  if (!raw) return { kind: 'pglite', dataDir: resolve(e.DATA_DIR, 'pglite') };
  const clientUrl = /^postgres(ql)?:\/\//.test(raw) ? raw : libpqToUrl(raw);
  if (!clientUrl) {
    problems.push('DB_URL: expected postgres://… or libpq key=value pairs (host=… dbname=…)');
    return { kind: 'pglite', dataDir: e.DATA_DIR };
  }
  return { kind: 'postgres', clientUrl, poolSize: e.DB_POOL_SIZE, queryTimeoutMs: e.DB_QUERY_TIMEOUT_MS };
}

/**
 * Converts libpq's `key=value` form (`user=postgres password=secret dbname=chat host=localhost`)
 * into a postgres:// URL; values may be single-quoted. Null when it is not that form.
 */
export function libpqToUrl(conninfo: string): string | null {
  const pairs = [...conninfo.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)];
  if (pairs.length === 0) return null;
  const values = new Map(pairs.map(([, key, value]) => [key!, unquote(value!)]));
  const url = new URL('postgres://localhost');
  url.hostname = values.get('host') ?? values.get('hostaddr') ?? 'localhost';
  if (values.has('port')) url.port = values.get('port')!;
  if (values.has('user')) url.username = encodeURIComponent(values.get('user')!);
  if (values.has('password')) url.password = encodeURIComponent(values.get('password')!);
  url.pathname = `/${encodeURIComponent(values.get('dbname') ?? values.get('user') ?? 'postgres')}`;
  if (values.has('sslmode')) url.searchParams.set('sslmode', values.get('sslmode')!);
  return url.toString();
}

function unquote(value: string): string {
  return value.startsWith("'") ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
