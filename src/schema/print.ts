import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printedSchema } from './index';

/** `npm run schema`: writes the SDL that clients and codegen read. */
writeFileSync(join(__dirname, '..', '..', 'schema.graphql'), printedSchema());
