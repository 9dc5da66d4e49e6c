import { ensureWebAppBuilt } from './web-build';

/**
 * Jest globalSetup (embedded project): builds the web app once for the run (skipped when
 * web/dist is fresh), before any browser test file starts its servers. Runs that select no
 * browser test skip it, so a single backend test does not pay for a build.
 */
export default async function globalSetup(globalConfig: { testPathPattern?: string }): Promise<void> {
  const pattern = globalConfig.testPathPattern ?? '';
  if (pattern && !/browser/.test(pattern)) return;
  console.log(`\n${await ensureWebAppBuilt()}`);
}
