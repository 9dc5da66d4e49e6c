import { Migration } from '@mikro-orm/migrations';

/**
 * Read state: each member's read and delivered markers, and what keeps unread counts and
 * the chat list cheap in big rooms.
 * - `messages.ordinal`: the message's number among its room's messages (1, 2, …; events
 *   take log positions too, so `seq` cannot count messages);
 * - `rooms.message_count` (the last ordinal) and `rooms.last_activity_at`, bumped by the
 *   send that takes the room's row lock anyway;
 * - `room_members.last_read_seq` / `last_read_ordinal` / `last_delivered_seq`: the markers
 *   (log positions of messages; 0 = none). Unread = message_count − last_read_ordinal −
 *   tombstones after the marker (a partial index finds those few).
 * Members present before this migration have read everything: no backlog appears unread.
 */
export class Migration20261202000001ReadState extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "messages" add column "ordinal" bigint null;`);
    this.addSql(`update "messages" m set "ordinal" = o."n" from (select "id", row_number() over (partition by "room_id" order by "seq") as "n" from "messages") o where o."id" = m."id";`);
    this.addSql(`alter table "messages" alter column "ordinal" set not null;`);
    this.addSql(`create index "messages_tombstones_index" on "messages" ("room_id", "seq") where "deleted_at" is not null;`);

    this.addSql(`alter table "rooms" add column "message_count" bigint not null default 0, add column "last_activity_at" timestamptz(3) null;`);
    this.addSql(`update "rooms" r set "message_count" = (select count(*) from "messages" m where m."room_id" = r."id"), "last_activity_at" = coalesce((select max(m."created_at") from "messages" m where m."room_id" = r."id"), r."created_at");`);
    this.addSql(`alter table "rooms" alter column "last_activity_at" set not null;`);

    this.addSql(`alter table "room_members" add column "last_read_seq" bigint not null default 0, add column "last_read_ordinal" bigint not null default 0, add column "last_delivered_seq" bigint not null default 0, add column "markers_updated_at" timestamptz(3) null;`);
    this.addSql(`update "room_members" rm set "last_read_seq" = coalesce(n."seq", 0), "last_read_ordinal" = coalesce(n."ordinal", 0), "last_delivered_seq" = coalesce(n."seq", 0), "markers_updated_at" = rm."joined_at" from "room_members" k left join lateral (select m."seq", m."ordinal" from "messages" m where m."room_id" = k."room_id" order by m."seq" desc limit 1) n on true where k."room_id" = rm."room_id" and k."user_id" = rm."user_id";`);
    this.addSql(`alter table "room_members" alter column "markers_updated_at" set not null;`);
    // Message.status reads the room's lowest markers: the first entry of each index.
    this.addSql(`create index "room_members_read_floor_index" on "room_members" ("room_id", "last_read_seq");`);
    this.addSql(`create index "room_members_delivered_floor_index" on "room_members" ("room_id", "last_delivered_seq");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "room_members_read_floor_index";`);
    this.addSql(`drop index if exists "room_members_delivered_floor_index";`);
    this.addSql(`alter table "room_members" drop column "last_read_seq", drop column "last_read_ordinal", drop column "last_delivered_seq", drop column "markers_updated_at";`);
    this.addSql(`alter table "rooms" drop column "message_count", drop column "last_activity_at";`);
    this.addSql(`drop index if exists "messages_tombstones_index";`);
    this.addSql(`alter table "messages" drop column "ordinal";`);
  }
}
