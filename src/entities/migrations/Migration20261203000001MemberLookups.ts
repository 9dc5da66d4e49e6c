import { Migration } from '@mikro-orm/migrations';

/**
 * A user's memberships indexed by (user, room) instead of user alone. Planned without
 * statistics (a new database), a probe for one (room, user) pair could pick the user's
 * index and filter its rows for the room: every membership of the user, on each send and
 * access check. With the room in both indexes, either one finds the pair exactly.
 */
export class Migration20261203000001MemberLookups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "room_members_user_id_room_id_index" on "room_members" ("user_id", "room_id");`);
    this.addSql(`drop index if exists "room_members_user_id_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "room_members_user_id_index" on "room_members" ("user_id");`);
    this.addSql(`drop index if exists "room_members_user_id_room_id_index";`);
  }
}
