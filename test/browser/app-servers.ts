import { createServer } from 'node:net';
import { loadConfig, type Env } from '../../src/config';
import type { Deps } from '../../src/context';
import { createLogger } from '../../src/logger';
import { createApiServer } from '../../src/servers/http/api';
import type { StartableServer } from '../../src/servers/http/http';
import { startServices, type Services } from '../../src/app';
import { createWsServer } from '../../src/servers/ws/ws';
import { createChatYoga, type ChatYoga } from '../../src/servers/graphql/yoga';
import { seedFromTemplate } from '../helpers/pglite-template';
import { makeDataDir, removeDataDir, testJwtSecret } from '../helpers/servers';

/**
 * The API server (serving the web app at `/`) and a WebSocket server that can be stopped and
 * started again on the SAME port during a test: the app only knows the URL it read from
 * `/app-config.json`, so a restart must not move it.
 */
export interface AppServers {
  /** The app's origin, e.g. http://127.0.0.1:1234 (the app is at `/`). */
  readonly appUrl: string;
  /** The GraphQL endpoint over HTTP, for setting up state through the API. */
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly deps: Deps;
  /** Stops the WebSocket server: every socket is closed, new ones are refused. */
  stopWs(): Promise<void>;
  /** Starts a new WebSocket server on the same port. */
  startWs(): Promise<void>;
  destroy(): Promise<void>;
}

/** A port that was free a moment ago (the WebSocket server must know it before it starts). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts both servers over PGlite in a fresh DATA_DIR; `env` overrides settings (e.g. rate limits). */
export async function startAppServers(env: Env = {}): Promise<AppServers> {
  const dataDir = await makeDataDir();
  await seedFromTemplate(dataDir);
  const wsPort = await freePort();
  const wsUrl = `ws://127.0.0.1:${wsPort}/graphql`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JWT_SECRET: testJwtSecret,
    PUBLIC_WS_URL: wsUrl,
    ...env,
  });
  const services = await startServices(config, createLogger({ level: config.logLevel }));
  const yoga = createChatYoga(services.deps);
  const api = createApiServer(services, yoga);
  const apiPort = await api.start(0, '127.0.0.1');
  let ws: StartableServer | null = await startWsOn(services, yoga, wsPort);
  let destroyed: Promise<void> | null = null;
  return {
    appUrl: `http://127.0.0.1:${apiPort}`,
    httpUrl: `http://127.0.0.1:${apiPort}/graphql`,
    wsUrl,
    deps: services.deps,
    async stopWs() {
      await ws?.stop();
      ws = null;
    },
    async startWs() {
      if (!ws) ws = await startWsOn(services, yoga, wsPort);
    },
    destroy() {
      destroyed ??= (async () => {
        await Promise.all([api.stop(), ws?.stop()]);
        await services.stop();
        await removeDataDir(dataDir);
      })();
      return destroyed;
    },
  };
}

async function startWsOn(services: Services, yoga: ChatYoga, port: number): Promise<StartableServer> {
  const ws = createWsServer(services, yoga);
  await ws.start(port, '127.0.0.1');
  return ws;
}
