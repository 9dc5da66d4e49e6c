import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const webDir = join(root, 'web');
const distDir = join(webDir, 'dist');
export const webDistIndex = join(distDir, 'index.html');

/** The newest modification time of the app's sources (web/ without its output). */
function newestSourceMtime(dir = webDir): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === distDir || entry.name === 'node_modules') continue;
    const mtime = entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** True when web/dist is missing or older than a source file. */
export function webAppIsStale(): boolean {
  if (!existsSync(webDistIndex)) return true;
  return newestSourceMtime() > statSync(webDistIndex).mtimeMs;
}

/** Builds web/ into web/dist with Vite when the output is missing or stale. */
export async function ensureWebAppBuilt(): Promise<void> {
  // No app in this checkout: nothing to build; the browser tests say the output is missing.
  if (!existsSync(webDir) || !webAppIsStale()) return;
  const vite = join(root, 'node_modules', '.bin', 'vite');
  await promisify(execFile)(vite, ['build', '--config', join(webDir, 'vite.config.mts')], { cwd: root, timeout: 120_000 });
}
