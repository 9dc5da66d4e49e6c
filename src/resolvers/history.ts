import type { FilterQuery } from '@mikro-orm/core';
import type { Context } from '../context';
import { Message } from '../entities/message.entity';
import { requireMember } from './guards';
import { encodeCursor, toPageRequest, type PageArgs, type PageRequest } from './pagination';
import { messageView, roomView, userView, type MessageView, type RoomView } from './views';

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

type SeqRange = { $gt?: number; $lt?: number; $gte?: number; $lte?: number };

/** One page of a room's history, oldest first within the page (Relay connection semantics). */
export async function messages(ctx: Context, input: { roomId: string | null } & PageArgs): Promise<MessageConnection> {
  const { limits } = ctx.config;
  const page = toPageRequest(input, { defaultSize: limits.defaultPageSize, maxSize: limits.maxPageSize });
  const membership = await requireMember(ctx, input.roomId);
  const room = roomView(membership.room);
  const rows = await readPage(ctx, room.id, page);
  const nodes = rows.map((m) => messageView(m, room, userView(m.author)));
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node.seq), node })),
    pageInfo: await pageInfo(ctx, room, page, nodes),
  };
}

async function readPage(ctx: Context, roomId: string, page: PageRequest): Promise<Message[]> {
  if (page.size === 0) return [];
  const seq: SeqRange = {};
  if (page.afterSeq !== null) seq.$gt = page.afterSeq;
  if (page.beforeSeq !== null) seq.$lt = page.beforeSeq;
  const rows = await ctx.em.find(
    Message,
    { room: roomId, ...(Object.keys(seq).length > 0 ? { seq } : {}) },
    { orderBy: { seq: page.direction === 'forward' ? 'asc' : 'desc' }, limit: page.size, populate: ['author'] },
  );
  return page.direction === 'forward' ? rows : rows.reverse();
}

/**
 * Whether older / newer messages exist beyond this page, whatever the direction: a
 * client walking either way always knows whether it can go on.
 */
async function pageInfo(ctx: Context, room: RoomView, page: PageRequest, nodes: MessageView[]): Promise<PageInfo> {
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  const exists = (seq: SeqRange) => hasMessage(ctx, room.id, seq);
  let older: Promise<boolean>;
  let newer: Promise<boolean>;
  if (first && last) {
    older = exists({ $lt: first.seq });
    newer = exists({ $gt: last.seq });
  } else if (page.direction === 'forward') {
    older = page.afterSeq === null ? Promise.resolve(false) : exists({ $lte: page.afterSeq });
    newer = exists({ $gt: page.afterSeq ?? 0 });
  } else {
    older = page.beforeSeq === null ? exists({ $gt: 0 }) : exists({ $lt: page.beforeSeq });
    newer = page.beforeSeq === null ? Promise.resolve(false) : exists({ $gte: page.beforeSeq });
  }
  return {
    hasPreviousPage: await older,
    hasNextPage: await newer,
    startCursor: first ? encodeCursor(first.seq) : null,
    endCursor: last ? encodeCursor(last.seq) : null,
  };
}

async function hasMessage(ctx: Context, roomId: string, seq: SeqRange): Promise<boolean> {
  const where: FilterQuery<Message> = { room: roomId, seq };
  const row = await ctx.em.findOne(Message, where, { fields: ['id'], disableIdentityMap: true });
  return row !== null;
}
