import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Where test data directories go: memory (tmpfs) where the machine has it. PGlite opens
 * every relation file of its directory as it starts (~1,000 of them); on the CI machine's
 * disk that cost ~0.5 s of system time per server, on tmpfs ~40 ms.
 */
export const scratchRoot = writable('/dev/shm') ? '/dev/shm' : tmpdir();

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
