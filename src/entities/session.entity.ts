import { EntitySchema } from '@mikro-orm/core';
import { User } from './user.entity';

/**
 * A signed-in session: what `register`/`login` start and `logout` ends. The refresh token
 * itself is never stored, only its SHA-256; the hash of the one it replaced is kept so a
 * replay of a used token is recognised (and ends the session, see stores/sessions.ts).
 */
export class Session {
  id!: string;
  user!: User;
  refreshTokenHash!: Buffer;
  previousTokenHash?: Buffer | null;
  createdAt!: Date;
  refreshExpiresAt!: Date;
  endedAt?: Date | null;
}

export const SessionSchema = new EntitySchema<Session>({
  class: Session,
  tableName: 'sessions',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: () => User, deleteRule: 'cascade', index: 'sessions_user_id_index' },
    refreshTokenHash: { type: 'blob', unique: 'sessions_refresh_token_hash_unique' },
    // Looked up only when a refresh token is not current: is it a replay?
    previousTokenHash: { type: 'blob', nullable: true, index: 'sessions_previous_token_hash_index' },
    createdAt: { type: 'datetime', length: 3 },
    refreshExpiresAt: { type: 'datetime', length: 3 },
    endedAt: { type: 'datetime', length: 3, nullable: true, index: 'sessions_ended_at_index' },
  },
});
