import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimits } from './config';
import type { Logger } from './logger';

/**
 * What a limit protects, and what it is counted per: `register` and `login` per client
 * address, `loginUsername` per username (failed logins), the rest per user.
 */
export type RateLimitBucket = keyof RateLimits;

/** Counts requests per (bucket, key) in one-minute windows, shared by every process when Redis is set. */
export interface RateLimiter {
  /** False when the bucket is off (its variable is 0): nothing to count, no promise to make. */
  isOn(bucket: RateLimitBucket): boolean;
  /**
   * Counts one request: null when it may go ahead (or the bucket is off), else the whole
   * seconds (at least 1) until it may be retried.
   */
  consume(bucket: RateLimitBucket, key: string): Promise<number | null>;
  /** Gives one request back (a login that succeeded does not count against its username). */
  refund(bucket: RateLimitBucket, key: string): Promise<void>;
}

export interface RateLimiterStore {
  /** A command connection that fails fast while Redis is down (redis.ts's publisher); null: this process's memory. */
  redis: Redis | null;
  /** Redis key prefix (REDIS_CHANNEL_PREFIX), so deployments sharing a Redis keep separate counts. */
  prefix: string;
  log: Logger;
}

const windowSeconds = 60;

/**
 * rate-limiter-flexible: RateLimiterRedis when Redis is configured, so a split tier
 * shares one budget; RateLimiterMemory otherwise. While Redis is unreachable each
 * process falls back to its own in-memory counts (the library's insuranceLimiter): limits
 * stay on, per process, rather than refusing everyone or letting everything through.
 */
export function createRateLimiter(perMinute: RateLimits, store: RateLimiterStore): RateLimiter {
  const limiters = new Map<RateLimitBucket, RateLimiterAbstract>();
  for (const [bucket, points] of Object.entries(perMinute) as [RateLimitBucket, number][]) {
    if (points > 0) limiters.set(bucket, bucketLimiter(bucket, points, store));
  }
  return {
    isOn: (bucket) => limiters.has(bucket),
    async consume(bucket, key) {
      const limiter = limiters.get(bucket);
      if (!limiter) return null;
      try {
        await limiter.consume(key);
        return null;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        // Both stores failed (should not happen with the memory insurance): let the request through.
        store.log.warn({ err: refusal, bucket }, 'rate limit could not be counted; allowing the request');
        return null;
      }
    },
    async refund(bucket, key) {
      await limiters.get(bucket)?.reward(key, 1).catch((err: unknown) => store.log.warn({ err, bucket }, 'rate limit refund failed'));
    },
  };
}

function bucketLimiter(bucket: RateLimitBucket, points: number, store: RateLimiterStore): RateLimiterAbstract {
  const options = { points, duration: windowSeconds, keyPrefix: `${store.prefix}rl:${bucket}` };
  const memory = new RateLimiterMemory(options);
  if (!store.redis) return memory;
  // Not ready: straight to the insurance rather than waiting on a command that cannot be sent.
  return new RateLimiterRedis({ ...options, storeClient: store.redis, rejectIfRedisNotReady: true, insuranceLimiter: memory });
}
