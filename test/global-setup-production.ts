import { buildServiceForTests } from './helpers/service-build';

/**
 * Jest globalSetup (postgres+redis project): the compiled service its process tests start
 * (helpers/service-build.ts). When the embedded project's setup already built it in this
 * run, nothing to do.
 */
export default function globalSetup(): void {
  buildServiceForTests();
}
