import { buildSync, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { buildWebApp, describeWebBuild } from './build-web';

export { buildWebApp } from './build-web';

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

/**
 * `npm start` runs this: the service (esbuild, ~1 s) and the web app (Vite, skipped when
 * web/dist is up to date). `--web`: the web app only; `--force`: rebuild it even if fresh.
 */
async function main(args: string[]): Promise<void> {
  if (!args.includes('--web')) build(serviceEntries);
  const result = await buildWebApp({ force: args.includes('--force') });
  process.stdout.write(`${describeWebBuild(result)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`build failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
