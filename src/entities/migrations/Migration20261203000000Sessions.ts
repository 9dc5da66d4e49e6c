import { Migration } from '@mikro-orm/migrations';

/** Sessions (issue 11): refresh tokens stored as hashes, with the previous one to recognise replays. */
export class Migration20261203000000Sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sessions" ("id" uuid not null, "user_id" uuid not null, "refresh_token_hash" bytea not null, "previous_token_hash" bytea null, "created_at" timestamptz(3) not null, "refresh_expires_at" timestamptz(3) not null, "ended_at" timestamptz(3) null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`alter table "sessions" add constraint "sessions_refresh_token_hash_unique" unique ("refresh_token_hash");`);
    this.addSql(`create index "sessions_previous_token_hash_index" on "sessions" ("previous_token_hash");`);
    this.addSql(`create index "sessions_ended_at_index" on "sessions" ("ended_at");`);
    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sessions" cascade;`);
  }
}
