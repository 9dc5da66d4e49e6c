import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { contractFile, sharedContractFile } from './contract';

/**
 * `npm run contract:refresh`: copies ../shared/contract.graphql into contract/ (commit it).
 * `--check` (CI) changes nothing and fails when the copy differs from the shared original.
 */
function main(check: boolean): number {
  if (!existsSync(sharedContractFile)) {
    process.stderr.write(`${sharedContractFile} does not exist: the shared contract sits beside our checkouts and CI only.\n`);
    return 2;
  }
  if (!check) {
    copyFileSync(sharedContractFile, contractFile);
    process.stdout.write('contract/contract.graphql refreshed from ../shared/contract.graphql: commit it.\n');
    return 0;
  }
  if (readFileSync(contractFile, 'utf8') !== readFileSync(sharedContractFile, 'utf8')) {
    process.stderr.write('contract/contract.graphql differs from ../shared/contract.graphql: run `npm run contract:refresh` and commit it.\n');
    return 1;
  }
  process.stdout.write('contract/contract.graphql equals ../shared/contract.graphql.\n');
  return 0;
}

process.exit(main(process.argv.includes('--check')));
