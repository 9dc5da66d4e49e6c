import { ConfigError, loadConfig, type RunMode } from '../config';

/**
 * Entry point of every process: validates the environment, then loads and starts the rest
 * (`./serve`). The check comes first and alone, so a misconfigured process names the
 * variable to fix at once, before the schema, the ORM and the database engine are loaded
 * (seconds on a small machine).
 */
export async function run(mode: RunMode): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, mode);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const { serve } = await import('./serve');
  await serve(mode, config);
}
