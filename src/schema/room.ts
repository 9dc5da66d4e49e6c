import * as history from '../resolvers/history';
import * as rooms from '../resolvers/rooms';
import { builder } from './builder';
import { assumedListSize, listCost, pageCost } from './cost';
import { MessageConnectionRef, pageArgs } from './message';
import { NodeRef, nodeTypeOf } from './node';
import { rawId, RoomKindRef, RoomRef, UserRef } from './refs';
import { selectsAnyField } from './selection';
import { sameForEverySubscriber } from './sharing';

RoomRef.implement({
  interfaces: [NodeRef],
  isTypeOf: (value) => nodeTypeOf(value) === 'Room',
  fields: (t) => ({
    kind: t.expose('kind', { type: RoomKindRef, extensions: sameForEverySubscriber }),
    name: t.exposeString('name', { nullable: true, description: 'Null for DIRECT rooms.', extensions: sameForEverySubscriber }),
    createdAt: t.expose('createdAt', { type: 'DateTime', extensions: sameForEverySubscriber }),
    // Members only (requireMember), and only members receive the room's events: the same list for each.
    members: t.field({ type: [UserRef], complexity: listCost(assumedListSize.members), extensions: sameForEverySubscriber, resolve: (room, _args, ctx) => rooms.roomMembers(ctx, room.id) }),
    messages: t.field({
      type: MessageConnectionRef,
      description: 'Message history of this room, newest last. `last`/`before` page backwards.',
      args: pageArgs(),
      complexity: pageCost,
      // The same page for every member, like `members`.
      extensions: sameForEverySubscriber,
      resolve: (room, args, ctx) => history.messages(ctx, { ...args, roomId: room.id }),
    }),
  }),
});

builder.queryFields((t) => ({
  rooms: t.field({
    type: [RoomRef],
    description: 'Rooms the signed-in user is a member of, most recent activity first.',
    complexity: listCost(assumedListSize.rooms),
    resolve: (_root, _args, ctx, info) => rooms.rooms(ctx, { summary: selectsAnyField(info, ['unreadCount', 'lastMessage']) }),
  }),
  room: t.field({
    type: RoomRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => rooms.room(ctx, { roomId: rawId(String(args.id), 'Room') }),
  }),
}));

builder.mutationFields((t) => {
  const roomIdArg = { roomId: t.arg.id({ required: true }) };
  return {
    createRoom: t.field({
      type: RoomRef,
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => rooms.createRoom(ctx, args),
    }),
    joinRoom: t.field({
      type: RoomRef,
      args: roomIdArg,
      resolve: (_root, args, ctx) => rooms.joinRoom(ctx, { roomId: rawId(String(args.roomId), 'Room') }),
    }),
    leaveRoom: t.boolean({
      args: roomIdArg,
      resolve: (_root, args, ctx) => rooms.leaveRoom(ctx, { roomId: rawId(String(args.roomId), 'Room') }),
    }),
    openDirectRoom: t.field({
      type: RoomRef,
      description: 'Returns the one DIRECT room between the signed-in user and `userId`, creating it on first use.',
      args: { userId: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => rooms.openDirectRoom(ctx, { userId: rawId(String(args.userId), 'User') }),
    }),
  };
});
