import type { SqlClient, Statement } from '../sql-client';
import type { ReactionView } from '../../resolvers/views';

/**
 * The reactions of the message `messageAlias.id`, as one JSON value: an array of
 * { emoji, users: [{ id, username, createdAt }] }, emojis in the order they were first
 * used, users earliest first; null when there are none. A subquery every statement that
 * reads whole messages (log reads, reads by id) selects, so `reactionsOf` maps them alike.
 */
export const reactionsJson = (messageAlias: string) => `(
  select json_agg(json_build_object('emoji', g.emoji, 'users', g.users) order by g.first_at, g.emoji)
    from (
      select mr.emoji, min(mr.created_at) as first_at,
             json_agg(json_build_object('id', ru.id, 'username', ru.username, 'createdAt', ru.created_at) order by mr.created_at, ru.id) as users
        from message_reactions mr
        join users ru on ru.id = mr.user_id
       where mr.message_id = ${messageAlias}.id
       group by mr.emoji
    ) g
)`;

/** The column `reactionsJson` produced (node-postgres parses json; PGlite too). */
export function reactionsOf(value: unknown): ReactionView[] {
  if (value === null || value === undefined) return [];
  return (typeof value === 'string' ? JSON.parse(value) : value) as ReactionView[];
}

/** The reactions of many messages in one round trip (a history page's, when selected). */
export async function readReactions(sql: SqlClient, messageIds: readonly string[]): Promise<Map<string, ReactionView[]>> {
  const byMessage = new Map<string, ReactionView[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await sql.query(reactionsStatement, [messageIds]);
  for (const row of rows) byMessage.set(row.id as string, reactionsOf(row.reactions));
  return byMessage;
}

const reactionsStatement: Statement = {
  name: 'reactions_of_messages',
  types: ['uuid[]'],
  text: `select m.id, ${reactionsJson('m')} as reactions from messages m where m.id = any($1)`,
};
