import { join } from 'node:path';
import { buildWebApp, describeWebBuild, webDistDir } from '../../scripts/build-web';

export const webDistIndex = join(webDistDir, 'index.html');

/**
 * Builds web/ into web/dist with the shell's buildWebApp (skipped when fresh). Under
 * NODE_ENV=production: jest sets NODE_ENV=test, and Vite then bundles React's development
 * build (599 KB instead of 373 KB): the tests must load what `npm start` serves.
 */
export async function ensureWebAppBuilt(): Promise<string> {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return describeWebBuild(await buildWebApp({ quiet: true }));
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}
