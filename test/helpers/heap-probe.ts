import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Runs a heap probe (a script in test/helpers) in a real Node process with --expose-gc,
 * adding `setting` to its arguments when given, and returns the JSON it prints: V8's
 * heap flags are process-wide, so each variant needs a process of its own.
 */
export async function probeHeap<T>(script: string, setting?: string): Promise<T> {
  const args = ['--expose-gc', '--import', 'tsx', join(__dirname, script), ...(setting ? [setting] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: join(__dirname, '..', '..') });
  return JSON.parse(stdout) as T;
}
