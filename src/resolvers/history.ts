import type { Context } from '../context';
import { ErrorCode, userError } from '../errors';
import { requireUser } from './guards';
import { readHistoryPage, type HistoryRead } from '../entities/stores/history';
import { encodeCursor, toPageRequest, type PageArgs, type PageRequest } from './pagination';
import type { MessageView } from './views';

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface MessageConnection {
  edges: { cursor: string; node: MessageView }[];
  pageInfo: PageInfo;
}

/**
 * One page of a room's history, oldest first within the page (Relay connection semantics),
 * read with the membership check and pageInfo in one database round trip.
 * BAD_USER_INPUT for bad arguments comes first, then UNAUTHENTICATED; then, as
 * requireMember says it: NOT_FOUND when the room does not exist, FORBIDDEN for a non-member.
 */
export async function messages(ctx: Context, input: { roomId: string | null } & PageArgs): Promise<MessageConnection> {
  const { limits } = ctx.config;
  const page = toPageRequest(input, { defaultSize: limits.defaultPageSize, maxSize: limits.maxPageSize }, input.roomId);
  const user = requireUser(ctx);
  const read = input.roomId === null ? null : await readHistoryPage(ctx.sql, historyRead(input.roomId, user.id, page));
  if (!read) throw userError(ErrorCode.NotFound, 'Room not found.');
  if (!read.member) throw userError(ErrorCode.Forbidden, 'You are not a member of this room.');
  const first = read.messages[0];
  const last = read.messages[read.messages.length - 1];
  return {
    edges: read.messages.map((node) => ({ cursor: encodeCursor(node.room.id, node.seq), node })),
    pageInfo: {
      hasPreviousPage: read.hasOlder,
      hasNextPage: read.hasNewer,
      startCursor: first ? encodeCursor(first.room.id, first.seq) : null,
      endCursor: last ? encodeCursor(last.room.id, last.seq) : null,
    },
  };
}

/**
 * The database's view of a page request. Whether older / newer messages exist beyond the
 * page is asked whatever the direction, so a client walking either way always knows
 * whether it can go on. A non-empty page asks beyond its own first and last messages; an
 * empty page is placed where it was asked for (after `after`, or before `before`), and
 * an end it is known to stand at (no `after` going forward, no `before` going back) has
 * nothing beyond it.
 */
function historyRead(roomId: string, userId: string, page: PageRequest): HistoryRead {
  const { afterSeq, beforeSeq } = page;
  const forward = page.direction === 'forward';
  return {
    roomId,
    userId,
    order: forward ? 'asc' : 'desc',
    size: page.size,
    afterSeq,
    beforeSeq,
    emptyOlderThan: forward ? (afterSeq === null ? null : afterSeq + 1) : (beforeSeq ?? Number.MAX_SAFE_INTEGER),
    emptyNewerThan: forward ? (afterSeq ?? 0) : (beforeSeq === null ? null : beforeSeq - 1),
  };
}
