import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printedSchema } from '../src/schema';

/**
 * `npm run schema:check`: fails when the committed schema.graphql is not what the code
 * builds (run `npm run schema` to refresh it) — clients and codegen read that file.
 */
const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
if (committed !== printedSchema()) {
  process.stderr.write('schema.graphql is out of date: run `npm run schema` and commit it.\n');
  process.exit(1);
}
process.stdout.write('schema.graphql matches the code.\n');
