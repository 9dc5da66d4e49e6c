import { EntitySchema } from '@mikro-orm/core';

/** An account. The password hash is hidden from serialization and loaded only on demand. */
export class User {
  id!: string;
  username!: string;
  passwordHash!: string;
  createdAt!: Date;
  /** When the user's last live connection ended (presence); null while never seen. */
  lastSeenAt?: Date | null;
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    username: { type: 'string', length: 32 },
    passwordHash: { type: 'text', hidden: true, lazy: true },
    createdAt: { type: 'datetime', length: 3 },
    lastSeenAt: { type: 'datetime', length: 3, nullable: true },
  },
  indexes: [
    {
      // Usernames are unique case-insensitively: `Alice` and `alice` are one name.
      name: 'users_username_lower_unique',
      expression: 'create unique index "users_username_lower_unique" on "users" (lower("username"))',
    },
  ],
});
