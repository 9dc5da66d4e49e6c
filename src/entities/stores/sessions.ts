import type { SqlClient, Statement } from '../sql-client';
import { asDate } from './rows';

/**
 * Sessions in the database (see session.entity.ts). Refresh tokens arrive here as their
 * SHA-256 in hex, never as themselves. Each change is one statement, so PostgreSQL's row
 * lock settles races: of two refreshes of one token, the second re-reads the row after
 * the first committed, no longer matches, and is then recognised as a replay.
 */

export interface SessionOwner {
  sessionId: string;
  userId: string;
}

export interface EndedSession extends SessionOwner {
  endedAt: Date;
}

export async function insertSession(
  sql: SqlClient,
  session: { id: string; userId: string; tokenHash: string; createdAt: Date; refreshExpiresAt: Date },
): Promise<void> {
  const { id, userId, tokenHash, createdAt, refreshExpiresAt } = session;
  await sql.query(insertStatement, [id, userId, tokenHash, createdAt.toISOString(), refreshExpiresAt.toISOString()]);
}

const insertStatement: Statement = {
  name: 'sessions_insert',
  types: ['uuid', 'uuid', 'text', 'timestamptz', 'timestamptz'],
  text: `
    insert into sessions (id, user_id, refresh_token_hash, created_at, refresh_expires_at)
    values ($1, $2, decode($3, 'hex'), $4, $5)`,
};

/**
 * Replaces the session's current refresh token (`oldHash`) by `newHash`, keeping the old
 * one's hash to recognise its replay; null when `oldHash` is not the current token of a
 * live, unexpired session.
 */
export async function rotateRefreshToken(sql: SqlClient, oldHash: string, newHash: string, refreshExpiresAt: Date): Promise<SessionOwner | null> {
  const [row] = await sql.query(rotateStatement, [oldHash, newHash, refreshExpiresAt.toISOString()]);
  return row ? { sessionId: row.id as string, userId: row.user_id as string } : null;
}

const rotateStatement: Statement = {
  name: 'sessions_rotate',
  types: ['text', 'text', 'timestamptz'],
  text: `
    update sessions
       set refresh_token_hash = decode($2, 'hex'), previous_token_hash = refresh_token_hash, refresh_expires_at = $3
     where refresh_token_hash = decode($1, 'hex') and ended_at is null and refresh_expires_at > now()
    returning id, user_id`,
};

/** Ends the live session whose previous (already used) refresh token this is: a replay. Null when none. */
export async function endSessionReplaying(sql: SqlClient, usedHash: string): Promise<EndedSession | null> {
  const [row] = await sql.query(endReplayedStatement, [usedHash]);
  return row ? endedOf(row) : null;
}

const endReplayedStatement: Statement = {
  name: 'sessions_end_replayed',
  types: ['text'],
  text: `
    update sessions set ended_at = now()
     where previous_token_hash = decode($1, 'hex') and ended_at is null
    returning id, user_id, ended_at`,
};

/** Ends a session of this user; null when it had ended already (or is not theirs). */
export async function endSession(sql: SqlClient, owner: SessionOwner): Promise<EndedSession | null> {
  const [row] = await sql.query(endStatement, [owner.sessionId, owner.userId]);
  return row ? endedOf(row) : null;
}

const endStatement: Statement = {
  name: 'sessions_end',
  types: ['uuid', 'uuid'],
  text: `
    update sessions set ended_at = now()
     where id = $1 and user_id = $2 and ended_at is null
    returning id, user_id, ended_at`,
};

/** Sessions ended since `since`: those whose access tokens may still be unexpired. */
export async function readSessionsEndedSince(sql: SqlClient, since: Date): Promise<EndedSession[]> {
  const rows = await sql.query(endedSinceStatement, [since.toISOString()]);
  return rows.map(endedOf);
}

const endedSinceStatement: Statement = {
  name: 'sessions_ended_since',
  types: ['timestamptz'],
  text: `select id, user_id, ended_at from sessions where ended_at >= $1`,
};

const endedOf = (row: Record<string, unknown>): EndedSession => ({
  sessionId: row.id as string,
  userId: row.user_id as string,
  endedAt: asDate(row.ended_at),
});
