import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. `algorithm: 2` is Argon2id
// (the package's enum is a const enum, which isolated modules cannot import).
const argon2idOptions = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2idOptions);
}

/** A hash of a password nobody has: verifying against it costs what a real check costs. */
const decoyHash = hash('decoy password that never matches', argon2idOptions);

/**
 * Checks a password; with no stored hash it still spends the time of a real check,
 * so response times do not reveal which usernames exist.
 */
export async function passwordMatches(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
