import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context } from '../context';
import { Membership } from '../entities/membership.entity';
import { Room, RoomKind } from '../entities/room.entity';
import { User } from '../entities/user.entity';
import { ErrorCode, userError } from '../errors';
import { readChatList } from '../entities/stores/read-state';
import { readRoomsOfUser } from '../entities/stores/rooms';
import { uuidv7 } from '../ids';
import { Topic } from '../live/pubsub';
import { requireMember, requireUser, rethrowWrite } from './guards';
import { validateRoomName } from './validation';
import { roomView, userView, type MembershipEvent, type RoomView, type UserView } from './views';

/** Tells the user's live subscriptions to follow (or drop) a room. Called after the commit. */
async function publishMembership(ctx: Context, userId: string, event: MembershipEvent): Promise<void> {
  await ctx.bus.publish(Topic.membership(userId), event);
}

export async function createRoom(ctx: Context, input: { name: string }): Promise<RoomView> {
  const user = requireUser(ctx);
  const name = validateRoomName(input.name);
  const now = new Date();
  const room = ctx.em.create(Room, newRoom(RoomKind.Group, name, null, now));
  ctx.em.create(Membership, newMembership(room, ctx.em.getReference(User, user.id), now));
  await ctx.em.flush().catch((err: unknown) => rethrowWrite(ctx, err));
  await publishMembership(ctx, user.id, { roomId: room.id, joined: true, sinceSeq: 0 });
  ctx.log.info({ roomId: room.id }, 'room created');
  return roomView(room);
}

async function requireGroupRoom(ctx: Context, roomId: string | null): Promise<Room> {
  const room = roomId === null ? null : await ctx.em.findOne(Room, roomId);
  if (!room) throw userError(ErrorCode.NotFound, 'Room not found.');
  if (room.kind === RoomKind.Direct) throw userError(ErrorCode.Forbidden, 'A private conversation cannot be joined or left.');
  return room;
}

/** An empty room: no message, its activity is its creation. */
function newRoom(kind: RoomKind, name: string | null, key: string | null, now: Date) {
  return { id: uuidv7(), kind, name, directKey: key, lastSeq: 0, messageCount: 0, lastActivityAt: now, createdAt: now };
}

/** A member of a new (empty) room: nothing to read or receive yet. */
function newMembership(room: Room, user: User, now: Date) {
  return { room, user, joinedAt: now, lastReadSeq: 0, lastReadOrdinal: 0, lastDeliveredSeq: 0, markersUpdatedAt: now };
}

/**
 * Idempotent: joining a room you are in returns it unchanged. The newcomer's markers
 * start at the room's newest message: they have nothing unread, and messages sent before
 * they joined keep the ticks they had (a newcomer does not turn them back to SENT).
 */
export async function joinRoom(ctx: Context, input: { roomId: string | null }): Promise<RoomView> {
  const user = requireUser(ctx);
  const room = await requireGroupRoom(ctx, input.roomId);
  const now = new Date();
  // ON CONFLICT DO NOTHING: concurrent joins of one user end as one membership, no error.
  const inserted = await ctx.em.execute(
    `insert into "room_members" ("room_id", "user_id", "joined_at", "last_read_seq", "last_read_ordinal", "last_delivered_seq", "markers_updated_at")
     select r."id", ?, ?, coalesce(n."seq", 0), coalesce(n."ordinal", 0), coalesce(n."seq", 0), ?
       from "rooms" r left join lateral (select m."seq", m."ordinal" from "messages" m where m."room_id" = r."id" order by m."seq" desc limit 1) n on true
      where r."id" = ?
     on conflict do nothing returning "room_id"`,
    [user.id, now, now, room.id],
  ).catch((err: unknown) => rethrowWrite(ctx, err));
  if (inserted.length > 0) await publishMembership(ctx, user.id, { roomId: room.id, joined: true, sinceSeq: room.lastSeq });
  return roomView(room);
}

/** False when the user was not a member. */
export async function leaveRoom(ctx: Context, input: { roomId: string | null }): Promise<boolean> {
  const user = requireUser(ctx);
  const room = await requireGroupRoom(ctx, input.roomId);
  const deleted = await ctx.em.nativeDelete(Membership, { room: room.id, user: user.id });
  if (deleted === 0) return false;
  await publishMembership(ctx, user.id, { roomId: room.id, joined: false });
  return true;
}

/**
 * The viewer's rooms, the chat list: most recent activity first. With `summary` (the
 * client selected unread counts or last messages), they are read in the same statement.
 */
export async function rooms(ctx: Context, input: { summary: boolean }): Promise<RoomView[]> {
  const user = requireUser(ctx);
  return input.summary ? readChatList(ctx.sql, user.id) : readRoomsOfUser(ctx.sql, user.id);
}

export async function room(ctx: Context, input: { roomId: string | null }): Promise<RoomView> {
  return roomView((await requireMember(ctx, input.roomId)).room);
}

export async function roomMembers(ctx: Context, roomId: string): Promise<UserView[]> {
  await requireMember(ctx, roomId);
  const memberships = await ctx.em.find(Membership, { room: roomId }, { populate: ['user'], orderBy: { joinedAt: 'asc' } });
  return memberships.map((m) => userView(m.user));
}

/** The one key of a pair, whatever the order of (a, b). */
export function directKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/**
 * The DIRECT room of the viewer and another user, created on first use. The unique
 * direct_key makes concurrent first calls end with one room: the loser re-reads it.
 */
export async function openDirectRoom(ctx: Context, input: { userId: string | null }): Promise<RoomView> {
  const user = requireUser(ctx);
  if (input.userId === user.id) throw userError(ErrorCode.BadUserInput, 'You cannot open a private conversation with yourself.');
  const other = input.userId ? await ctx.em.findOne(User, input.userId) : null;
  if (!other) throw userError(ErrorCode.NotFound, 'User not found.');
  const key = directKey(user.id, other.id);
  const existing = await ctx.em.findOne(Room, { directKey: key });
  if (existing) return roomView(existing);
  try {
    const created = await createDirectRoom(ctx, key, [user.id, other.id]);
    await Promise.all([user.id, other.id].map((id) => publishMembership(ctx, id, { roomId: created.id, joined: true, sinceSeq: 0 })));
    return roomView(created);
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) return rethrowWrite(ctx, err);
    return roomView(await ctx.em.fork().findOneOrFail(Room, { directKey: key }));
  }
}

async function createDirectRoom(ctx: Context, key: string, userIds: string[]): Promise<Room> {
  return ctx.em.fork().transactional(async (tx) => {
    const now = new Date();
    const room = tx.create(Room, newRoom(RoomKind.Direct, null, key, now));
    for (const id of userIds) tx.create(Membership, newMembership(room, tx.getReference(User, id), now));
    return room;
  });
}
