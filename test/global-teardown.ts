import { removePgliteTemplate } from './helpers/pglite-template';

/** Jest globalTeardown (embedded project): removes what globalSetup made. */
export default async function globalTeardown(): Promise<void> {
  await removePgliteTemplate();
}
