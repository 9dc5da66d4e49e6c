import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { contractBreaks } from '../scripts/contract';
import { printedSchema, schema } from '../src/schema';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/** The first line where two texts differ, to make a stale-file failure readable. */
function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  const at = line === -1 ? left.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(left[at])}, printed ${JSON.stringify(right[at])}`;
}

test('the committed schema.graphql equals the schema the servers serve', () => {
  const committed = readFileSync(schemaFile, 'utf8');
  const printed = printedSchema();
  if (committed !== printed) {
    throw new Error(`schema.graphql is out of date: run \`npm run schema\` and commit it (${firstDifference(committed, printed)})`);
  }
  expect(committed).toBe(printed);
});

// The repository's copy of the contract (contract/, refreshed by `npm run contract:refresh`):
// a plain clone has nothing beside it; CI (.ci/run) checks that the copy equals the shared original.
test('schema.graphql makes no breaking change to the contract', () => {
  const served = buildSchema(readFileSync(schemaFile, 'utf8'));
  expect(contractBreaks(served)).toEqual([]);
});

test('the executable schema makes no breaking change to the contract', () => {
  expect(contractBreaks(schema)).toEqual([]);
});
