import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { printedSchema } from '../src/schema';
import { contractBreaks } from './contract';

/**
 * `npm run schema:check`: fails when the committed schema.graphql is not what the code
 * builds (run `npm run schema` to refresh it) — clients and codegen read that file — or
 * when it breaks a promise of the contract the repository keeps (contract/contract.graphql).
 */
function main(): number {
  const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
  if (committed !== printedSchema()) {
    process.stderr.write('schema.graphql is out of date: run `npm run schema` and commit it.\n');
    return 1;
  }
  const breaks = contractBreaks(buildSchema(committed));
  if (breaks.length > 0) {
    process.stderr.write(`schema.graphql breaks ${breaks.length} promise(s) of contract/contract.graphql:\n${breaks.join('\n')}\n`);
    return 1;
  }
  process.stdout.write('schema.graphql matches the code and keeps contract/contract.graphql.\n');
  return 0;
}

process.exit(main());
