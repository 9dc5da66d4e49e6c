/** What a limit protects; each has its own per-minute budget per client address. */
export type RateLimitBucket = 'auth' | 'messages';

/** Counts requests per (bucket, address) in fixed one-minute windows; in-process. */
export interface RateLimiter {
  /** Counts one request; false when the address is over its budget for this minute. */
  tryConsume(bucket: RateLimitBucket, address: string): boolean;
}

const windowMs = 60_000;

export function createRateLimiter(perMinute: Record<RateLimitBucket, number>, now = Date.now): RateLimiter {
  let windowStart = now();
  let counts = new Map<string, number>();
  return {
    tryConsume(bucket, address) {
      const limit = perMinute[bucket];
      if (limit === 0) return true;
      if (now() - windowStart >= windowMs) {
        // A fresh map each window keeps memory bounded by the addresses seen in one minute.
        windowStart = now();
        counts = new Map();
      }
      const key = `${bucket}|${address}`;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count <= limit;
    },
  };
}
