import { Migration } from '@mikro-orm/migrations';

/** Users, rooms, memberships and messages; the same SQL runs on PostgreSQL and PGlite. */
export class Migration20261124000000Init extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "users" ("id" uuid not null, "username" varchar(32) not null, "password_hash" text not null, "created_at" timestamptz(3) not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`create unique index "users_username_lower_unique" on "users" (lower("username"));`);

    this.addSql(`create table "rooms" ("id" uuid not null, "kind" text check ("kind" in ('GROUP', 'DIRECT')) not null, "name" varchar(100) null, "direct_key" varchar(73) null, "last_seq" bigint not null default 0, "created_at" timestamptz(3) not null, constraint "rooms_pkey" primary key ("id"));`);
    this.addSql(`alter table "rooms" add constraint "rooms_direct_key_unique" unique ("direct_key");`);

    this.addSql(`create table "room_members" ("room_id" uuid not null, "user_id" uuid not null, "joined_at" timestamptz(3) not null, constraint "room_members_pkey" primary key ("room_id", "user_id"));`);
    this.addSql(`create index "room_members_user_id_index" on "room_members" ("user_id");`);
    this.addSql(`alter table "room_members" add constraint "room_members_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "room_members" add constraint "room_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);

    this.addSql(`create table "messages" ("id" uuid not null, "room_id" uuid not null, "author_id" uuid not null, "seq" bigint not null, "body" text not null, "created_at" timestamptz(3) not null, constraint "messages_pkey" primary key ("id"));`);
    this.addSql(`create index "messages_author_id_index" on "messages" ("author_id");`);
    this.addSql(`alter table "messages" add constraint "messages_room_id_seq_unique" unique ("room_id", "seq");`);
    this.addSql(`alter table "messages" add constraint "messages_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "messages" cascade;`);
    this.addSql(`drop table if exists "room_members" cascade;`);
    this.addSql(`drop table if exists "rooms" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
  }
}
