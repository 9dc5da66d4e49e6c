import { Migration } from '@mikro-orm/migrations';

/**
 * The room event log and what its events change: idempotency keys, replies, edits,
 * tombstones and reactions. A room's log is the union of its messages (MESSAGE_ADDED,
 * at `messages.seq`) and its `room_events` rows (every later change); both take their
 * numbers from `rooms.last_seq`, so the log has one contiguous order.
 */
export class Migration20261201000000Messaging extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "messages" add column "client_message_id" varchar(64) null, add column "reply_to_id" uuid null, add column "edited_at" timestamptz(3) null, add column "deleted_at" timestamptz(3) null;`);
    // NULLs are distinct: only keyed sends are unique per author.
    this.addSql(`alter table "messages" add constraint "messages_author_id_client_message_id_unique" unique ("author_id", "client_message_id");`);
    this.addSql(`alter table "messages" add constraint "messages_reply_to_id_foreign" foreign key ("reply_to_id") references "messages" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "messages_reply_to_id_index" on "messages" ("reply_to_id");`);

    this.addSql(`create table "room_events" ("room_id" uuid not null, "seq" bigint not null, "kind" text check ("kind" in ('MESSAGE_EDITED', 'MESSAGE_DELETED', 'REACTIONS_CHANGED')) not null, "message_id" uuid not null, "created_at" timestamptz(3) not null, constraint "room_events_pkey" primary key ("room_id", "seq"));`);
    this.addSql(`create index "room_events_message_id_index" on "room_events" ("message_id");`);
    this.addSql(`alter table "room_events" add constraint "room_events_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "room_events" add constraint "room_events_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "message_reactions" ("message_id" uuid not null, "emoji" varchar(64) not null, "user_id" uuid not null, "created_at" timestamptz(3) not null, constraint "message_reactions_pkey" primary key ("message_id", "emoji", "user_id"));`);
    this.addSql(`create index "message_reactions_user_id_index" on "message_reactions" ("user_id");`);
    this.addSql(`alter table "message_reactions" add constraint "message_reactions_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_reactions" add constraint "message_reactions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "message_reactions" cascade;`);
    this.addSql(`drop table if exists "room_events" cascade;`);
    this.addSql(`alter table "messages" drop constraint if exists "messages_reply_to_id_foreign";`);
    this.addSql(`alter table "messages" drop constraint if exists "messages_author_id_client_message_id_unique";`);
    this.addSql(`drop index if exists "messages_reply_to_id_index";`);
    this.addSql(`alter table "messages" drop column "client_message_id", drop column "reply_to_id", drop column "edited_at", drop column "deleted_at";`);
  }
}
