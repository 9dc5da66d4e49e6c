import { buildSync, type BuildOptions } from 'esbuild';
import { join } from 'node:path';

/**
 * How the service is compiled to run: one CommonJS file per entry, packages left to
 * node_modules. Not tsx: its transform keeps function names (esbuild `keepNames`),
 * which wraps every named closure in Object.defineProperty at creation and gives it
 * a 256-byte property dictionary; a subscription creates a dozen of them.
 */
export const buildOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

const root = join(__dirname, '..');

/** The service's process entries (see README: npm start, start:api, start:ws). */
export const serviceEntries = ['src/servers/main.ts', 'src/servers/api-main.ts', 'src/servers/ws-main.ts'];

/** Compiles entries (paths from the repository root) into dist/, keeping their folders. */
export function build(entries: string[]): void {
  buildSync({ ...buildOptions, entryPoints: entries.map((e) => join(root, e)), outdir: join(root, 'dist'), outbase: root });
}

if (require.main === module) build(serviceEntries);
