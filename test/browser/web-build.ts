import { join } from 'node:path';
import { buildWebApp, describeWebBuild, webDistDir } from '../../scripts/build-web';

export const webDistIndex = join(webDistDir, 'index.html');

/** Builds web/ into web/dist as `npm start` does (buildWebApp forces a production build; skipped when fresh). */
export async function ensureWebAppBuilt(): Promise<string> {
  return describeWebBuild(await buildWebApp({ quiet: true }));
}
