import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring: every object starts in the young generation.
 * V8 watches the objects each object or array literal makes; when most of a sample survive
 * a scavenge, it allocates that literal's later objects straight into the old generation,
 * where only a full GC frees them. A request's objects live as long as its batch waits
 * for the database (tens of milliseconds under load, about one scavenge interval), and at
 * startup (migrations, the first sockets) many survive longer: sites got tenured and stayed
 * so, the old generation filled with request garbage, and a full GC (which compacts: see
 * heap-compaction.ts) paused the process for 140–210 ms in every 8-second editMessage run.
 *
 * Measured with `npm run bench -- --scenario edit --backends postgres`, two runs each way
 * (GC events read by a PerformanceObserver): a full GC in each run before, none after;
 * max latency 197–264 ms before, 38–39 ms after; server CPU per request 180–189 µs
 * before, 160–175 µs after. Not yet in a published BENCHMARKS.md run.
 *
 * Set at runtime, like heap-compaction.ts, so that every way of starting the service gets
 * it; V8 reads the flag each time it weighs a site's survivors. PRETENURE_OBJECTS=true
 * keeps V8's default.
 */
export function allocateEveryObjectYoung(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
