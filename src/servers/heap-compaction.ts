import { setFlagsFromString } from 'node:v8';

/**
 * Makes every full garbage collection compact the JS heap, not only the pages V8 finds
 * most fragmented. A chat server's sockets live for minutes: their objects reach the old
 * generation, and as connections come and go they leave holes between the objects of the
 * sockets that stay. V8 kept those pages committed while the live heap stayed flat: in the
 * soak (10,000 sockets, 10 reconnects/s) RSS after GC rose 2.5–2.6 MB a minute; with this,
 * it does not grow (BENCHMARKS.md, soak).
 *
 * The price is a longer pause when a full GC happens: 70–100 ms instead of 13–17 ms for
 * the first one under load, the same ~200 ms for a large one, 0.5 s instead of 0.2 s for
 * a full GC of the soak's 10,000 sockets at once. Full GCs are rare (most garbage dies
 * young: two in a 40-second fan-out run), and fan-out at max and its p99 at 10k
 * deliveries/s measured the same with and without it.
 *
 * Set at runtime rather than on the command line so that every way of starting the
 * service (npm start, a container's `node dist/…`) gets it; COMPACT_HEAP=false keeps V8's
 * default. V8 reads the flag at each full GC, so setting it after startup takes effect.
 */
export function compactHeapOnFullGc(): void {
  setFlagsFromString('--compact-on-every-full-gc');
}
