import { build } from '../scripts/build';

/**
 * The benchmark runs compiled JavaScript on both sides, as `npm start` does (see
 * scripts/build.ts: tsx's transform adds work and memory to every named closure), so that
 * neither the service, nor the raw baseline, nor the load generator pays for a transform
 * the others do not.
 */
export const compiled = {
  service: 'dist/src/servers/main.js',
  raw: 'dist/bench/raw-server.js',
  loadgen: 'dist/bench/loadgen.js',
} as const;

/** Compiles the three entries (about 0.1 s); run once per `npm run bench`. */
export function buildBenchEntries(): void {
  build(['src/servers/main.ts', 'bench/raw-server.ts', 'bench/loadgen.ts']);
}
