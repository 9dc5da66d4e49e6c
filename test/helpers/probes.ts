import { until } from './wait';

/** What GET /ready answers (see src/servers/http/readiness.ts). */
export interface ReadyBody {
  status: 'ready' | 'unavailable';
  ready: boolean;
  checks: Record<string, string>;
  publishFailures: number;
}

export interface Probed<T> {
  status: number;
  body: T;
  /** How long the server took to answer. */
  ms: number;
}

/** GETs `/ready` or `/health` on a server's port (both servers serve both). */
export async function probe<T = ReadyBody>(port: number, path: '/ready' | '/health'): Promise<Probed<T>> {
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const body = (await response.json()) as T;
  return { status: response.status, body, ms: Date.now() - started };
}

/**
 * Polls `/ready` until it answers `status`; resolves with that answer. Each poll is
 * itself bounded by the server (probes time out after 2 s).
 */
export async function untilReadyStatus(port: number, status: 200 | 503, ms: number): Promise<Probed<ReadyBody>> {
  let last: Probed<ReadyBody> | null = null;
  await until(
    async () => {
      last = await probe(port, '/ready');
      return last.status === status;
    },
    `/ready on port ${port} to answer ${status}`,
    ms,
  );
  return last!;
}
