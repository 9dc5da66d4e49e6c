import type { Context } from '../context';
import { requireMember } from './guards';
import { encodeCursor, toPageRequest, type PageArgs, type PageRequest } from './pagination';
import { hasMessagesBeyond, selectMessages } from './queries';
import { roomView, type MessageView, type RoomView } from './views';

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

/** One page of a room's history, oldest first within the page (Relay connection semantics). */
export async function messages(ctx: Context, input: { roomId: string | null } & PageArgs): Promise<MessageConnection> {
  const { limits } = ctx.config;
  const page = toPageRequest(input, { defaultSize: limits.defaultPageSize, maxSize: limits.maxPageSize });
  const { room } = await requireMember(ctx, input.roomId);
  const nodes = await readPage(ctx, roomView(room), page);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node.seq), node })),
    pageInfo: await pageInfo(ctx, room.id, page, nodes),
  };
}

async function readPage(ctx: Context, room: RoomView, page: PageRequest): Promise<MessageView[]> {
  if (page.size === 0) return [];
  const range = { after: page.afterSeq, before: page.beforeSeq };
  if (page.direction === 'forward') return selectMessages(ctx.em, room, range, 'asc', page.size);
  return (await selectMessages(ctx.em, room, range, 'desc', page.size)).reverse();
}

/**
 * Whether older / newer messages exist beyond this page, whatever the direction: a
 * client walking either way always knows whether it can go on. An empty page is
 * placed where it was asked for (after `after`, or before `before`).
 */
async function pageInfo(ctx: Context, roomId: string, page: PageRequest, nodes: MessageView[]): Promise<PageInfo> {
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  let olderThan: number | null;
  let newerThan: number | null;
  if (first && last) {
    [olderThan, newerThan] = [first.seq, last.seq];
  } else if (page.direction === 'forward') {
    [olderThan, newerThan] = [page.afterSeq === null ? null : page.afterSeq + 1, page.afterSeq ?? 0];
  } else {
    [olderThan, newerThan] = [page.beforeSeq ?? Number.MAX_SAFE_INTEGER, page.beforeSeq === null ? null : page.beforeSeq - 1];
  }
  const beyond = await hasMessagesBeyond(ctx.em, roomId, olderThan, newerThan);
  return {
    hasPreviousPage: beyond.older,
    hasNextPage: beyond.newer,
    startCursor: first ? encodeCursor(first.seq) : null,
    endCursor: last ? encodeCursor(last.seq) : null,
  };
}
