import { build, serviceEntries } from '../../scripts/build';

const builtVariable = 'CHAT_TEST_SERVICE_BUILT';

/**
 * Compiles the service's entries into dist/ once per jest run, in globalSetup (before any
 * worker starts): tests start them with node, as `npm start` does. Started with tsx, every
 * process transformed the whole tree again (~4 s of CPU each on the CI machine), and test
 * files that built for themselves could rewrite dist/ while another worker's process was
 * loading it.
 */
export function buildServiceForTests(): void {
  if (process.env[builtVariable]) return;
  build(serviceEntries);
  process.env[builtVariable] = '1';
}

/** What a test starts for a service entry: its compiled file ('src/servers/ws-main.ts' → 'dist/src/servers/ws-main.js'). */
export function compiledEntry(entry: string): string {
  return `dist/${entry.replace(/\.ts$/, '.js')}`;
}
