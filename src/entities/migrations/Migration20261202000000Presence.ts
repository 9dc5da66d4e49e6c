import { Migration } from '@mikro-orm/migrations';

/** When each user's last live connection ended (presence): null while never seen. */
export class Migration20261202000000Presence extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "last_seen_at" timestamptz(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "last_seen_at";`);
  }
}
