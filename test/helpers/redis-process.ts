import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { withTimeout } from './wait';

/** A free TCP port on 127.0.0.1: bound to port 0 by a throwaway server, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of this test file's own (never the shared one on 6379), without
 * persistence, so that killing it loses everything, as a crashed Redis would.
 */
export interface RedisProcess {
  readonly port: number;
  readonly url: string;
  /** SIGKILL by PID, and resolves once the process has exited. */
  kill(): Promise<void>;
  /** Starts a new redis-server on the same port (after `kill`). */
  restart(): Promise<void>;
}

const readyTimeoutMs = 5000;

function spawnRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = new Promise<ChildProcess>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve(child);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
  return withTimeout(ready, readyTimeoutMs, `redis-server on port ${port}`).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await withTimeout(exited, readyTimeoutMs, 'redis-server to exit');
}

export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | null = await spawnRedis(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const current = child;
      child = null;
      if (current) await killChild(current);
    },
    async restart() {
      if (child) throw new Error('redis-server is still running');
      child = await spawnRedis(port);
    },
  };
}
