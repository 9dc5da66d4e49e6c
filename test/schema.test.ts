import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges, type BreakingChange } from 'graphql';
import { printedSchema, schema } from '../src/schema';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');
// CI runs in a fresh clone with shared/ beside the project.
const contractFile = path.join(__dirname, '..', '..', 'shared', 'contract.graphql');

/** The first line where two texts differ, to make a stale-file failure readable. */
function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  const at = line === -1 ? left.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(left[at])}, printed ${JSON.stringify(right[at])}`;
}

function describeChanges(changes: readonly BreakingChange[]): string {
  return changes.map((c) => `${c.type}: ${c.description}`).join('\n');
}

test('the committed schema.graphql equals the schema the servers serve', () => {
  const committed = readFileSync(schemaFile, 'utf8');
  const printed = printedSchema();
  if (committed !== printed) {
    throw new Error(`schema.graphql is out of date: run \`npm run schema\` and commit it (${firstDifference(committed, printed)})`);
  }
  expect(committed).toBe(printed);
});

test('schema.graphql makes no breaking change to the contract', () => {
  const contract = buildSchema(readFileSync(contractFile, 'utf8'));
  const served = buildSchema(readFileSync(schemaFile, 'utf8'));
  const breaking = findBreakingChanges(contract, served);
  expect(describeChanges(breaking)).toBe('');
});

test('the executable schema makes no breaking change to the contract', () => {
  const contract = buildSchema(readFileSync(contractFile, 'utf8'));
  expect(describeChanges(findBreakingChanges(contract, schema))).toBe('');
});
