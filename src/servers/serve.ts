import type { Config, RunMode } from '../config';
import { createLogger, type Logger } from '../logger';
import { createApiServer } from './http/api';
import type { StartableServer } from './http/http';
import { startServices, type Services } from '../app';
import { createWsServer } from './ws/ws';
import { createChatYoga } from './graphql/yoga';
import { compactHeapOnFullGc } from './heap-compaction';
import { allocateEveryObjectYoung } from './pretenuring';

/** DESIGN.md: on SIGINT/SIGTERM a process exits within 10 seconds, whatever hangs. */
const shutdownDeadlineMs = 10_000;

/** Opens the services, starts the servers of the mode, and stops them all on SIGINT/SIGTERM. */
export async function serve(mode: RunMode, config: Config): Promise<void> {
  const log = createLogger({ level: config.logLevel });
  logProcessFailures(log);
  if (config.compactHeap) compactHeapOnFullGc();
  if (!config.pretenureObjects) allocateEveryObjectYoung();
  const services = await startServices(config, log).catch((err) => {
    log.fatal({ err }, 'startup failed');
    process.exit(1);
  });
  const yoga = createChatYoga(services.deps);
  const servers: StartableServer[] = [];
  const urlHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  if (mode !== 'ws') {
    const api = createApiServer(services, yoga);
    const port = await api.start(config.apiPort, config.host);
    servers.push(api);
    log.info(
      { url: `http://${urlHost}:${port}/graphql`, app: `http://${urlHost}:${port}/`, port },
      'API server listening (the web app at /, GraphiQL at /graphql in a browser)',
    );
  }
  if (mode !== 'api') {
    const ws = createWsServer(services, yoga);
    const port = await ws.start(config.wsPort, config.host);
    servers.push(ws);
    log.info({ url: `ws://${urlHost}:${port}/graphql`, port }, 'WebSocket server listening');
  }
  stopOnSignals(log, servers, services);
}

/**
 * Every request path catches its own failures (masked answer, logged once); these are the
 * last line. A promise rejection nobody handled is a bug in one request's path: logged, and
 * the process keeps serving everyone else. An exception that unwound the stack past every
 * handler may have left shared state (a socket's protocol, a batch queue, a pool) half
 * changed, and Node cannot say which: logged as fatal, then the process exits for its
 * supervisor to restart it, rather than serve on in an unknown state.
 */
function logProcessFailures(log: Logger): void {
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception; exiting');
    process.exit(1);
  });
}

function stopOnSignals(log: Logger, servers: StartableServer[], services: Services): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting anyway');
      process.exit(1);
    }, shutdownDeadlineMs).unref();
    try {
      await Promise.all(servers.map((s) => s.stop()));
      await services.stop();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
