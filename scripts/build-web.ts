import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(__dirname, '..');
export const webDir = join(root, 'web');
export const webDistDir = join(webDir, 'dist');
const builtMarker = join(webDistDir, '.built');

/** Besides web/, what changes the app: the schema its documents are typed against, and the locked packages. */
const otherInputs = ['schema.graphql', 'package-lock.json'].map((file) => join(root, file));

/** Files worth sending compressed; sirv serves the `.br`/`.gz` beside them (src/servers/http/web-app.ts). */
const compressible = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map']);

export interface WebBuildResult {
  /** False when web/dist was newer than every input and `force` was not set. */
  built: boolean;
  ms: number;
  /** The JavaScript a browser downloads (every asset .js), gzipped, in bytes. */
  jsGzipBytes: number;
}

/**
 * Builds the web app (web/ -> web/dist/) with Vite's JS API, then writes brotli and gzip
 * copies of each text file. Skipped when web/dist is newer than every file under web/,
 * schema.graphql and package-lock.json (so `npm start` pays for it once). Also what the
 * browser tests' jest globalSetup calls.
 */
export async function buildWebApp(options: { force?: boolean; quiet?: boolean } = {}): Promise<WebBuildResult> {
  const startedAt = Date.now();
  if (!options.force && isUpToDate()) return { built: false, ms: Date.now() - startedAt, jsGzipBytes: jsGzipBytes() };
  // Vite is ESM only; this file is CommonJS (tsx, jest).
  const { build } = await import('vite');
  // Vite and its plugins read NODE_ENV (jest sets `test`): the app is always built for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(webDir, 'vite.config.mts'), mode: 'production', logLevel: options.quiet ? 'silent' : 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  precompress(webDistDir);
  // Written last: a build that stopped half-way, or one made by `vite build` alone (no
  // compressed copies), is not taken for a fresh one. sirv never serves dotfiles.
  writeFileSync(builtMarker, `${new Date().toISOString()}\n`);
  return { built: true, ms: Date.now() - startedAt, jsGzipBytes: jsGzipBytes() };
}

export function describeWebBuild(result: WebBuildResult): string {
  const js = `${(result.jsGzipBytes / 1024).toFixed(1)} KB of JavaScript gzipped`;
  return result.built
    ? `web app built in ${(result.ms / 1000).toFixed(1)} s (web/dist, ${js})`
    : `web app up to date (web/dist is newer than web/, schema.graphql and package-lock.json; ${js})`;
}

function isUpToDate(): boolean {
  const builtAt = mtimeOf(builtMarker);
  if (builtAt === null) return false;
  const newest = Math.max(...otherInputs.map((f) => mtimeOf(f) ?? 0), newestUnder(webDir, [webDistDir, join(webDir, 'node_modules')]));
  return builtAt > newest;
}

function mtimeOf(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function newestUnder(dir: string, skip: string[]): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.includes(path)) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path, skip) : (mtimeOf(path) ?? 0));
  }
  return newest;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function precompress(dir: string): void {
  for (const file of filesUnder(dir)) {
    if (!compressible.has(extname(file))) continue;
    const body = readFileSync(file);
    if (body.length < 1024) continue; // not worth a second request path
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  }
}

function jsGzipBytes(): number {
  try {
    return filesUnder(join(webDistDir, 'assets'))
      .filter((file) => file.endsWith('.js'))
      .reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  } catch {
    return 0;
  }
}

