import { Migration20261124000000Init } from './Migration20261124000000Init';
import { Migration20261201000000Messaging } from './Migration20261201000000Messaging';
import { Migration20261202000000Presence } from './Migration20261202000000Presence';
import { Migration20261202000001ReadState } from './Migration20261202000001ReadState';
import { Migration20261203000000Sessions } from './Migration20261203000000Sessions';
import { Migration20261203000001MemberLookups } from './Migration20261203000001MemberLookups';

/** Every migration, in order; listed explicitly so no file discovery runs at startup. */
export const migrationsList = [
  { name: 'Migration20261124000000Init', class: Migration20261124000000Init },
  { name: 'Migration20261201000000Messaging', class: Migration20261201000000Messaging },
  { name: 'Migration20261202000000Presence', class: Migration20261202000000Presence },
  { name: 'Migration20261202000001ReadState', class: Migration20261202000001ReadState },
  { name: 'Migration20261203000000Sessions', class: Migration20261203000000Sessions },
  { name: 'Migration20261203000001MemberLookups', class: Migration20261203000001MemberLookups },
];
