import type { SqlClient, Statement } from '../sql-client';
import type { UserView } from '../../resolvers/views';
import { asDate, asDateOrNull } from './rows';

/** Presence's state in the database: when users were last seen, and who may see whom. */

/** A user who went offline, as stored: their public fields and when they were last seen. */
export interface SeenUser {
  user: UserView;
  lastSeenAt: Date;
}

/**
 * Stores `last_seen_at` for a batch of users who went offline (one statement however
 * many: thousands of sockets may close at once), returning the users that exist here.
 */
export async function storeLastSeen(sql: SqlClient, seen: readonly { userId: string; at: Date }[]): Promise<SeenUser[]> {
  if (seen.length === 0) return [];
  const rows = await sql.query(storeLastSeenStatement, [seen.map((s) => s.userId), seen.map((s) => s.at.toISOString())]);
  return rows.map((row) => ({
    user: { id: row.id as string, username: row.username as string, createdAt: asDate(row.created_at) },
    lastSeenAt: asDate(row.last_seen_at),
  }));
}

// `greatest`: a sweep's older heartbeat time never moves a later last-seen back.
const storeLastSeenStatement: Statement = {
  name: 'presence_store_last_seen',
  types: ['uuid[]', 'timestamptz[]'],
  text: `
    update users u
       set last_seen_at = greatest(u.last_seen_at, v.seen)
      from unnest($1::uuid[], $2::timestamptz[]) as v(id, seen)
     where u.id = v.id
    returning u.id, u.username, u.created_at, u.last_seen_at`,
};

/** Users who changed presence, and which of the candidates (the process's presence subscribers) share a room with each. */
export interface PresenceAudience {
  user: UserView;
  coMembers: string[];
}

/**
 * For a batch of users who came online or went offline: their public fields and the
 * candidates they share a room with; one statement however many users and subscribers.
 */
export async function readPresenceAudience(sql: SqlClient, userIds: readonly string[], candidates: readonly string[]): Promise<PresenceAudience[]> {
  if (userIds.length === 0 || candidates.length === 0) return [];
  const rows = await sql.query(audienceStatement, [userIds, candidates]);
  return rows.map((row) => ({
    user: { id: row.id as string, username: row.username as string, createdAt: asDate(row.created_at) },
    coMembers: (row.co_members as string[] | null) ?? [],
  }));
}

const audienceStatement: Statement = {
  name: 'presence_audience',
  types: ['uuid[]', 'uuid[]'],
  text: `
    select u.id, u.username, u.created_at,
           array(select distinct theirs.user_id::text
                   from room_members mine
                   join room_members theirs on theirs.room_id = mine.room_id
                  where mine.user_id = u.id and theirs.user_id = any($2::uuid[]) and theirs.user_id <> u.id) as co_members
      from users u
     where u.id = any($1::uuid[])`,
};

/**
 * The last-seen times of those of `userIds` the viewer may see (themselves, and users
 * sharing a room with them); the others are absent. One statement per batch.
 */
export async function readVisibleLastSeen(sql: SqlClient, viewerId: string, userIds: readonly string[]): Promise<Map<string, Date | null>> {
  if (userIds.length === 0) return new Map();
  const rows = await sql.query(visibleLastSeenStatement, [viewerId, userIds]);
  return new Map(rows.map((row) => [row.id as string, asDateOrNull(row.last_seen_at)]));
}

const visibleLastSeenStatement: Statement = {
  name: 'presence_visible_last_seen',
  types: ['uuid', 'uuid[]'],
  text: `
    select u.id, u.last_seen_at
      from users u
     where u.id = any($2::uuid[])
       and (u.id = $1 or exists (
             select 1 from room_members mine
               join room_members theirs on theirs.room_id = mine.room_id
              where mine.user_id = $1 and theirs.user_id = u.id))`,
};
