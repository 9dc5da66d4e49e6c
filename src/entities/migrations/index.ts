import { Migration20261124000000Init } from './Migration20261124000000Init';

/** Every migration, in order; listed explicitly so no file discovery runs at startup. */
export const migrationsList = [
  { name: 'Migration20261124000000Init', class: Migration20261124000000Init },
];
