/** One dependency check: resolves when the dependency answers, rejects with the reason. */
export type Probe = (timeoutMs: number) => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  /** "ok" or the reason, per dependency (database, redis). */
  checks: Record<string, string>;
  /** Live-delivery publishes that failed since startup (the event bus counts them). */
  publishFailures: number;
}

/** Every probe runs at once, each bounded, so `/ready` answers within `timeoutMs`. */
export function createReadinessCheck(
  probes: Record<string, Probe>,
  publishFailures: () => number,
  timeoutMs = 2000,
): () => Promise<ReadinessReport> {
  return async () => {
    const names = Object.keys(probes);
    const outcomes = await Promise.allSettled(names.map((name) => probes[name]!(timeoutMs)));
    const checks: Record<string, string> = {};
    outcomes.forEach((outcome, i) => {
      checks[names[i]!] = outcome.status === 'fulfilled' ? 'ok' : reason(outcome.reason);
    });
    return { ready: outcomes.every((o) => o.status === 'fulfilled'), checks, publishFailures: publishFailures() };
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
}

/** Rejects when `promise` takes longer than `ms`. */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
