import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../src/entities/orm';
import { createLogger } from '../../src/logger';
import { scratchRoot } from './scratch';

/**
 * A PGlite data directory made once per jest run (globalSetup): initdb and every migration
 * already done. Test servers that need no particular directory start from a copy of it
 * (~0.2 s) instead of an empty one: initdb in WebAssembly plus the migrations took ~3 s
 * per server on the CI machine, the largest part of the embedded project's time. Tests
 * of a first start (startup, migrations, restart) pass their own empty directory and
 * still run both.
 */
const templateVariable = 'CHAT_TEST_PGLITE_TEMPLATE';

/** Makes the template, and names it to the workers jest starts after globalSetup. */
export async function createPgliteTemplate(): Promise<void> {
  const dir = await mkdtemp(join(scratchRoot, 'chat-template-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
  try {
    await migrate(database.orm, createLogger({ level: 'silent' }));
  } finally {
    await database.close();
  }
  process.env[templateVariable] = dir;
}

export async function removePgliteTemplate(): Promise<void> {
  const dir = process.env[templateVariable];
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** Copies the template into `dataDir` (as DATA_DIR's `pglite`); without one (no globalSetup), leaves it empty. */
export async function seedFromTemplate(dataDir: string): Promise<void> {
  const template = process.env[templateVariable];
  if (!template) return;
  await mkdir(dataDir, { recursive: true });
  await cp(join(template, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
}
