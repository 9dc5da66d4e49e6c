import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, type Env } from '../../src/config';
import type { Deps } from '../../src/context';
import type { DestinationStream } from 'pino';
import { createLogger } from '../../src/logger';
import { createApiServer } from '../../src/servers/http/api';
import { startServices } from '../../src/app';
import { createWsServer } from '../../src/servers/ws/ws';
import { backendEnv } from './backends';
import { seedFromTemplate } from './pglite-template';
import { scratchRoot } from './scratch';
import { createChatYoga } from '../../src/servers/graphql/yoga';

/** Both servers of one process, started with the production factories on free ports. */
export interface TestServers {
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly apiPort: number;
  readonly wsPort: number;
  readonly dataDir: string;
  readonly deps: Deps;
  /** The environment the servers were configured with (e.g. DATABASE_URL, to restart on it). */
  readonly env: Env;
  /** Stops the servers and closes the database; keeps the data (directory or database). */
  stop(): Promise<void>;
  /** Stops, then removes the data directory and drops a test database. */
  destroy(): Promise<void>;
}

export const testJwtSecret = 'test-secret-that-is-long-enough-for-production-use';

/** A fresh temporary DATA_DIR; removed by `removeDataDir`. */
export function makeDataDir(): Promise<string> {
  return mkdtemp(join(scratchRoot, 'chat-test-'));
}

export function removeDataDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/**
 * Starts the API and WebSocket servers on 127.0.0.1 port 0: over PGlite in `dataDir` (a new
 * temporary one by default), or, in the postgres+redis jest project, over a fresh
 * PostgreSQL database and the test Redis. `env` overrides any setting, as the environment would;
 * `logTo` receives the log lines (see test/helpers/log-capture.ts) instead of stdout.
 */
export async function startServers(env: Env = {}, dataDir?: string, logTo?: DestinationStream): Promise<TestServers> {
  const dir = dataDir ?? (await makeDataDir());
  const backend = env.DATABASE_URL ? { env: {}, cleanup: async () => undefined } : await backendEnv();
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', JWT_SECRET: testJwtSecret, ...backend.env, ...env });
  // A directory of its own: PGlite starts migrated from the run's template (pglite-template.ts).
  if (!dataDir && config.database.kind === 'pglite') await seedFromTemplate(dir);
  const log = createLogger({ level: config.logLevel, destination: logTo });
  const services = await startServices(config, log);
  const yoga = createChatYoga(services.deps);
  const api = createApiServer(services, yoga);
  const ws = createWsServer(services, yoga);
  const apiPort = await api.start(0, '127.0.0.1');
  const wsPort = await ws.start(0, '127.0.0.1');
  let stopped: Promise<void> | null = null;
  const servers: TestServers = {
    httpUrl: `http://127.0.0.1:${apiPort}/graphql`,
    wsUrl: `ws://127.0.0.1:${wsPort}/graphql`,
    apiPort,
    wsPort,
    dataDir: dir,
    deps: services.deps,
    env: { ...backend.env, ...env },
    stop() {
      stopped ??= (async () => {
        await Promise.all([api.stop(), ws.stop()]);
        await services.stop();
      })();
      return stopped;
    },
    async destroy() {
      await servers.stop();
      await removeDataDir(dir);
      await backend.cleanup();
    },
  };
  return servers;
}

/**
 * Starts servers in `beforeAll` and stops them (and removes the data) in `afterAll`.
 * Use the returned getter inside tests.
 */
export function useServers(env: Env = {}): () => TestServers {
  let servers: TestServers | null = null;
  beforeAll(async () => {
    servers = await startServers(env);
  });
  afterAll(async () => {
    await servers?.destroy();
  });
  return () => {
    if (!servers) throw new Error('servers are not started yet');
    return servers;
  };
}

/**
 * A second process's servers on the database and Redis of `first` (another process of the
 * same deployment): started after `first`, stopped (its data kept for `first`) at the end.
 */
export function useSecondServers(first: () => TestServers): () => TestServers {
  let second: TestServers | null = null;
  beforeAll(async () => {
    second = await startServers(first().env);
  });
  afterAll(async () => {
    await second?.stop();
  });
  return () => {
    if (!second) throw new Error('the second servers are not started yet');
    return second;
  };
}
