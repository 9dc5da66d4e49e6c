import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context } from '../context';
import { Membership } from '../entities/membership.entity';
import { Room, RoomKind } from '../entities/room.entity';
import { User } from '../entities/user.entity';
import { ErrorCode, userError } from '../errors';
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
  const room = ctx.em.create(Room, { id: uuidv7(), kind: RoomKind.Group, name, directKey: null, lastSeq: 0, createdAt: now });
  ctx.em.create(Membership, { room, user: ctx.em.getReference(User, user.id), joinedAt: now });
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

/** Idempotent: joining a room you are in returns it unchanged. */
export async function joinRoom(ctx: Context, input: { roomId: string | null }): Promise<RoomView> {
  const user = requireUser(ctx);
  const room = await requireGroupRoom(ctx, input.roomId);
  // ON CONFLICT DO NOTHING: concurrent joins of one user end as one membership, no error.
  const inserted = await ctx.em.execute(
    'insert into "room_members" ("room_id", "user_id", "joined_at") values (?, ?, ?) on conflict do nothing returning "room_id"',
    [room.id, user.id, new Date()],
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

/** The viewer's rooms, most recently joined last. */
export async function rooms(ctx: Context): Promise<RoomView[]> {
  const user = requireUser(ctx);
  const memberships = await ctx.em.find(Membership, { user: user.id }, { populate: ['room'], orderBy: { joinedAt: 'asc' } });
  return memberships.map((m) => roomView(m.room));
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
    const room = tx.create(Room, { id: uuidv7(), kind: RoomKind.Direct, name: null, directKey: key, lastSeq: 0, createdAt: now });
    for (const id of userIds) tx.create(Membership, { room, user: tx.getReference(User, id), joinedAt: now });
    return room;
  });
}
