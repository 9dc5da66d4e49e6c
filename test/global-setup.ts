import { ensureWebAppBuilt } from './browser/web-build';
import { createPgliteTemplate } from './helpers/pglite-template';
import { buildServiceForTests } from './helpers/service-build';

/**
 * Jest globalSetup (embedded project), once per run before any test file starts:
 * - the migrated PGlite directory test servers start from (helpers/pglite-template.ts);
 * - the compiled service (dist/) that tests start as processes (helpers/service-build.ts);
 * - the web app's build (skipped when web/dist is fresh), when the run selects browser
 *   tests: a single backend test does not pay for a build.
 */
export default async function globalSetup(globalConfig: { testPathPattern?: string }): Promise<void> {
  const pattern = globalConfig.testPathPattern ?? '';
  const browserTests = !pattern || /browser/.test(pattern);
  // Side by side: the build runs mostly in esbuild's and zlib's threads, the template in ours.
  const [built] = await Promise.all([browserTests ? ensureWebAppBuilt() : null, createPgliteTemplate()]);
  buildServiceForTests();
  if (built) console.log(`\n${built}`);
}
