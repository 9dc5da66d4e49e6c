import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Memory, CPU, GC and event-loop lag belong to the process, whichever services ask: one
 * registry of prom-client's default collectors per process, made at the first Metrics and
 * shown with every services' own. Those collectors are never stopped (the GC observer keeps
 * its histogram, which keeps its registry), so on each services' registry they kept every
 * stopped services' graph alive: a whole PGlite, ~190 MB, per server started and stopped in
 * one process (the tests).
 */
let processRegistry: Registry | null = null;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * What `GET /metrics` shows (Prometheus text, prom-client), one registry per process's
 * services (tests run several servers in one process, so never prom-client's global one)
 * beside the process's own (`processMetrics`).
 *
 * Hot paths only touch plain numbers (`frames++`, `series.count++`): prom-client's own
 * `inc(labels)` hashes its labels on every call. The registry reads the numbers when it
 * is scraped (each metric's `collect`).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly processRegistry = processMetrics();
  /** Frames written to subscribers, and sockets closed with 1013 because they did not read them. */
  readonly delivery: DeliveryCounts = { frames: 0, slowConsumersClosed: 0 };
  private readonly operations = new Map<string, OperationSeries>();
  /** Errors in operation results, by code (masked ones as INTERNAL_SERVER_ERROR). */
  private readonly errors = new Map<string, number>();
  private readonly socketSources = new Set<SocketSource>();
  private readonly sources: MetricSources = {};
  private readonly sendLatency: Histogram;
  private readonly batchSizes: Histogram<'kind'>;

  constructor() {
    const registers = [this.registry];
    const self = this;
    new Gauge({
      name: 'chat_ws_connections_open',
      help: 'WebSocket connections open (acknowledged or not yet).',
      registers,
      collect() {
        this.set(sum(self.socketSources, (s) => s.connections()));
      },
    });
    new Gauge({
      name: 'chat_ws_subscriptions_open',
      help: 'Subscriptions open on WebSockets, by path: graphql-ws, or direct (shareable ones, see direct-subscriptions.ts).',
      labelNames: ['path'],
      registers,
      collect() {
        this.set({ path: 'graphql-ws' }, sum(self.socketSources, (s) => s.subscriptions().graphqlWs));
        this.set({ path: 'direct' }, sum(self.socketSources, (s) => s.subscriptions().direct));
      },
    });
    countedFrom(registers, 'chat_ws_frames_delivered_total', 'Subscription frames (`next`) written to WebSockets.', () => self.delivery.frames);
    countedFrom(
      registers,
      'chat_ws_slow_consumers_closed_total',
      'WebSockets closed with 1013 because the client did not read what it was sent.',
      () => self.delivery.slowConsumersClosed,
    );
    new Counter({
      name: 'chat_operations_total',
      help: 'GraphQL operations by transport (http, ws), type, first root field and outcome (ok or the first error code).',
      labelNames: ['transport', 'type', 'operation', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const series of self.operations.values()) this.inc(series.labels, series.count);
      },
    });
    new Counter({
      name: 'chat_graphql_errors_total',
      help: 'Errors in operation results by code: RATE_LIMITED refusals, SERVICE_UNAVAILABLE (database), INTERNAL_SERVER_ERROR (masked)…',
      labelNames: ['code'],
      registers,
      collect() {
        this.reset();
        for (const [code, count] of self.errors) this.inc({ code }, count);
      },
    });
    this.sendLatency = new Histogram({
      name: 'chat_send_message_duration_seconds',
      help: 'sendMessage execution time (validated request to result), group commit included.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.batchSizes = new Histogram({
      name: 'chat_group_commit_batch_size',
      help: 'Items per group-commit batch: sends, changes (edits, deletes, reactions), marker moves, membership checks (access).',
      labelNames: ['kind'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    countedFrom(registers, 'chat_bus_publish_failures_total', 'Publishes the event bus (Redis) refused or did not confirm in time.', () =>
      self.sources.publishFailures?.() ?? 0,
    );
    countedFrom(registers, 'chat_redis_errors_total', 'Errors reported by the Redis connections (each failed connection attempt counts).', () =>
      self.sources.redisErrors?.() ?? 0,
    );
  }

  /** One `chat_operations_total` series: callers add to its count (and may keep it for the next time). */
  seriesOf(transport: Transport, type: string, operation: string, outcome: string): OperationSeries {
    const key = `${transport}\u0000${type}\u0000${operation}\u0000${outcome}`;
    let series = this.operations.get(key);
    if (!series) {
      series = { labels: { transport, type, operation, outcome }, count: 0 };
      this.operations.set(key, series);
    }
    return series;
  }

  /** Errors are the rare path: a map lookup each. */
  countError(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  observeSendLatency(seconds: number): void {
    this.sendLatency.observe(seconds);
  }

  /** One batch of a group commit (one call per batch, not per item). */
  observeBatch(kind: BatchKind, size: number): void {
    this.batchSizes.observe({ kind }, size);
  }

  /** A WebSocket server's sockets, counted at each scrape; the returned function stops counting them. */
  watchSockets(source: SocketSource): () => void {
    this.socketSources.add(source);
    return () => this.socketSources.delete(source);
  }

  /** The process's bus and Redis, read at each scrape. */
  readFrom(sources: MetricSources): void {
    Object.assign(this.sources, sources);
  }

  /** The text a scrape gets, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const shown = Registry.merge([this.processRegistry, this.registry]);
    return { contentType: shown.contentType, text: await shown.metrics() };
  }
}

export interface DeliveryCounts {
  frames: number;
  slowConsumersClosed: number;
}

export type Transport = 'http' | 'ws';

/** One `chat_operations_total` series: its labels and its count so far. */
export interface OperationSeries {
  readonly labels: { transport: Transport; type: string; operation: string; outcome: string };
  count: number;
}

export type BatchKind = 'sends' | 'changes' | 'markers' | 'access';

/** What a WebSocket server has open now. */
export interface SocketSource {
  connections(): number;
  subscriptions(): { graphqlWs: number; direct: number };
}

/** Totals kept elsewhere (the bus's stats, the Redis engine's), read at each scrape. */
export interface MetricSources {
  publishFailures?: () => number;
  redisErrors?: () => number;
}

/** A counter whose value is a running total kept elsewhere. */
function countedFrom(registers: Registry[], name: string, help: string, total: () => number): void {
  new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(total());
    },
  });
}

function sum<T>(items: Iterable<T>, of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item);
  return total;
}
