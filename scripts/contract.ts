import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, findBreakingChanges, type GraphQLSchema } from 'graphql';

/**
 * The API contract the served schema must keep. The repository keeps its own copy, so a
 * plain clone can check itself; `npm run contract:refresh` copies it from the shared
 * original, and CI (`.ci/run`) fails when the copy is stale.
 */
export const contractFile = join(__dirname, '..', 'contract', 'contract.graphql');

/** The shared original, beside our checkouts and in CI only (never in a user's clone). */
export const sharedContractFile = join(__dirname, '..', '..', 'shared', 'contract.graphql');

/** Every promise of the repository's contract copy that `served` breaks, one line each (empty when all are kept). */
export function contractBreaks(served: GraphQLSchema): string[] {
  const contract = buildSchema(readFileSync(contractFile, 'utf8'));
  return findBreakingChanges(contract, served).map((change) => `${change.type}: ${change.description}`);
}
