import { releaseEntityManager } from '../context';
import * as readState from '../resolvers/read-state';
import type { ReadMarkerView } from '../resolvers/views';
import { builder } from './builder';
import { assumedListSize, listCost } from './cost';
import { MessageRef, rawId, RoomRef, UserRef } from './refs';
import { sameForEverySubscriber } from './sharing';

const MessageStatusRef = builder.enumType('MessageStatus', {
  description:
    'What the author sees as ticks: READ when every other member has read the message, DELIVERED when every other member has received it, SENT when it is stored.',
  values: {
    SENT: { description: 'Stored; some other member has not received it yet.' },
    DELIVERED: { description: "Every other member's devices have received it." },
    READ: { description: 'Every other member has read it.' },
  } as const,
});

// Markers are the same for every member of the room, and only members receive them.
const ReadMarkerRef = builder.objectRef<ReadMarkerView>('ReadMarker').implement({
  description: 'How far one member has read and received a room.',
  fields: (t) => ({
    room: t.expose('room', { type: RoomRef, extensions: sameForEverySubscriber }),
    user: t.expose('user', { type: UserRef, extensions: sameForEverySubscriber }),
    lastRead: t.field({
      type: MessageRef,
      nullable: true,
      description: 'The newest message the user has read, or null.',
      extensions: sameForEverySubscriber,
      resolve: (marker, _args, ctx) => (marker.lastRead !== undefined ? marker.lastRead : readState.markedMessage(ctx, marker.room.id, marker.lastReadSeq)),
    }),
    lastDelivered: t.field({
      type: MessageRef,
      nullable: true,
      description: "The newest message the user's devices have received (never behind lastRead), or null.",
      extensions: sameForEverySubscriber,
      resolve: (marker, _args, ctx) =>
        marker.lastDelivered !== undefined ? marker.lastDelivered : readState.markedMessage(ctx, marker.room.id, marker.lastDeliveredSeq),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', extensions: sameForEverySubscriber }),
  }),
});

builder.objectFields(RoomRef, (t) => ({
  lastMessage: t.field({
    type: MessageRef,
    nullable: true,
    description: 'The newest message that is not deleted, or null.',
    extensions: sameForEverySubscriber,
    resolve: (room, _args, ctx) => readState.lastMessage(ctx, room),
  }),
  lastActivityAt: t.field({
    type: 'DateTime',
    description: 'When the newest message was sent, or the room created if it has none: `rooms` is ordered by it, newest first.',
    extensions: sameForEverySubscriber,
    resolve: (room, _args, ctx) => readState.lastActivityAt(ctx, room),
  }),
  // Per viewer: never shared in fan-out.
  unreadCount: t.int({
    description: "Messages of other members, not deleted, after the signed-in user's read marker.",
    resolve: (room, _args, ctx) => readState.unreadCount(ctx, room),
  }),
  readMarkers: t.field({
    type: [ReadMarkerRef],
    description: 'One entry per member: how far each has read and received.',
    complexity: listCost(assumedListSize.members),
    extensions: sameForEverySubscriber,
    resolve: (room, _args, ctx) => readState.roomMarkers(ctx, room),
  }),
}));

builder.objectField(MessageRef, 'status', (t) =>
  t.field({
    type: MessageStatusRef,
    description: 'The ticks: the same for every viewer.',
    extensions: sameForEverySubscriber,
    resolve: (message, _args, ctx) => readState.messageStatus(ctx, message),
  }),
);

builder.mutationFields((t) => ({
  markRead: t.field({
    type: ReadMarkerRef,
    description: "Moves the signed-in user's read marker (and delivered marker) forward to this message; never backward.",
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => readState.markRead(ctx, rawId(String(args.messageId), 'Message')),
  }),
  markDelivered: t.field({
    type: ReadMarkerRef,
    description: "Moves the signed-in user's delivered marker forward to this message; never backward.",
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => readState.markDelivered(ctx, rawId(String(args.messageId), 'Message')),
  }),
}));

builder.subscriptionField('readMarkers', (t) =>
  t.field({
    type: ReadMarkerRef,
    description: 'Read and delivered markers moving in one room, or in every room of the signed-in user.',
    args: { roomId: t.arg.id() },
    extensions: sameForEverySubscriber,
    subscribe: (_root, args, ctx) =>
      readState.subscribeReadMarkers(ctx, { roomId: args.roomId == null ? null : rawId(String(args.roomId), 'Room'), hasRoomId: args.roomId != null }),
    resolve: (payload: ReadMarkerView, _args, ctx) => {
      releaseEntityManager(ctx);
      return payload;
    },
  }),
);
