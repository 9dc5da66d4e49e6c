import { releaseEntityManager } from '../context';
import * as history from '../resolvers/history';
import * as live from '../resolvers/live';
import * as messages from '../resolvers/messages';
import { encodeCursor } from '../resolvers/pagination';
import * as reactions from '../resolvers/reactions-view';
import type { MessageView, ReactionView } from '../resolvers/views';
import { builder } from './builder';
import { assumedListSize, countedByParent, listCost, pageCost } from './cost';
import { NodeRef, nodeTypeOf } from './node';
import { MessageRef, rawId, RoomRef, UserRef } from './refs';
import { sameForEverySubscriber, startPositionOnly } from './sharing';

MessageRef.implement({
  interfaces: [NodeRef],
  isTypeOf: (value) => nodeTypeOf(value) === 'Message',
  fields: (t) => ({
    room: t.expose('room', { type: RoomRef, extensions: sameForEverySubscriber }),
    author: t.expose('author', { type: UserRef, extensions: sameForEverySubscriber }),
    body: t.exposeString('body', { description: 'Empty once the message is deleted.', extensions: sameForEverySubscriber }),
    createdAt: t.expose('createdAt', { type: 'DateTime', extensions: sameForEverySubscriber }),
    cursor: t.string({
      description: "The message's place in its room: pass it as `after` (messageAdded, roomEvents) or as a history cursor.",
      extensions: sameForEverySubscriber,
      resolve: (message) => encodeCursor(message.room.id, message.seq),
    }),
    clientMessageId: t.exposeString('clientMessageId', {
      nullable: true,
      description: "The sender's idempotency key, as given to sendMessage.",
      extensions: sameForEverySubscriber,
    }),
    editedAt: t.expose('editedAt', { type: 'DateTime', nullable: true, extensions: sameForEverySubscriber }),
    deletedAt: t.expose('deletedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set once the author deleted it; the message stays in history as a tombstone (empty body, no reactions).',
      extensions: sameForEverySubscriber,
    }),
    replyTo: t.field({
      type: MessageRef,
      nullable: true,
      description: 'The message this one answers, or null. A deleted original shows as its tombstone.',
      // Only members read a message, and its reply is in the same room: the same for each.
      extensions: sameForEverySubscriber,
      resolve: (message, _args, ctx) => (message.replyToId ? ctx.loaders.message.load(message.replyToId) : null),
    }),
    reactions: t.field({
      type: [ReactionRef],
      description: 'Grouped by emoji, in the order each emoji was first used.',
      complexity: listCost(assumedListSize.reactions),
      extensions: sameForEverySubscriber,
      resolve: (message, _args, ctx) => message.reactions ?? ctx.loaders.reactions.load(message.id),
    }),
  }),
});

const ReactionRef = builder.objectRef<ReactionView>('Reaction').implement({
  description: 'All reactions with one emoji on one message.',
  fields: (t) => ({
    emoji: t.exposeString('emoji', { extensions: sameForEverySubscriber }),
    count: t.int({ extensions: sameForEverySubscriber, resolve: (reaction) => reaction.users.length }),
    users: t.field({
      type: [UserRef],
      description: 'Earliest first.',
      complexity: listCost(assumedListSize.reactionUsers),
      extensions: sameForEverySubscriber,
      resolve: (reaction) => reaction.users,
    }),
    // Depends on who asks: a subscription selecting it is executed per subscriber.
    reactedByMe: t.boolean({ resolve: (reaction, _args, ctx) => reactions.reactedBy(reaction, ctx.user?.id ?? null) }),
  }),
});

const PageInfoRef = builder.objectRef<history.PageInfo>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'Newer messages exist after this page.', extensions: sameForEverySubscriber }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'Older messages exist before this page.', extensions: sameForEverySubscriber }),
    startCursor: t.exposeString('startCursor', { nullable: true, extensions: sameForEverySubscriber }),
    endCursor: t.exposeString('endCursor', { nullable: true, extensions: sameForEverySubscriber }),
  }),
});

const MessageEdgeRef = builder.objectRef<history.MessageConnection['edges'][number]>('MessageEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', { extensions: sameForEverySubscriber }),
    node: t.expose('node', { type: MessageRef, complexity: countedByParent, extensions: sameForEverySubscriber }),
  }),
});

export const MessageConnectionRef = builder.objectRef<history.MessageConnection>('MessageConnection').implement({
  fields: (t) => ({
    edges: t.expose('edges', { type: [MessageEdgeRef], complexity: countedByParent, extensions: sameForEverySubscriber }),
    pageInfo: t.expose('pageInfo', { type: PageInfoRef, complexity: countedByParent, extensions: sameForEverySubscriber }),
  }),
});

/** Relay paging arguments, shared by `Query.messages` and `Room.messages`. */
export const pageArgs = () =>
  builder.args((t) => ({
    first: t.int({ description: 'Page forward: at most 100.' }),
    after: t.string({ description: 'A cursor: only messages newer than it.' }),
    last: t.int({ description: 'Page backward: at most 100.' }),
    before: t.string({ description: 'A cursor: only messages older than it.' }),
  }));

builder.queryField('messages', (t) =>
  t.field({
    type: MessageConnectionRef,
    description: 'Message history of one room the signed-in user belongs to, oldest first within a page.',
    args: { roomId: t.arg.id({ required: true }), ...pageArgs() },
    complexity: pageCost,
    resolve: (_root, args, ctx) => history.messages(ctx, { ...args, roomId: rawId(String(args.roomId), 'Room') }),
  }),
);

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: MessageRef,
    description: 'With clientMessageId, a retry returns the message first stored under that key (same id and cursor).',
    args: {
      roomId: t.arg.id({ required: true }),
      body: t.arg.string({ required: true }),
      clientMessageId: t.arg.string({
        description: 'An idempotency key chosen by the sender: 1–64 characters, no control characters, compared exactly; unique per author.',
      }),
      replyToId: t.arg.id({ description: 'A message of the same room, not deleted: the one this message answers.' }),
    },
    resolve: (_root, args, ctx) =>
      messages.sendMessage(ctx, {
        roomId: rawId(String(args.roomId), 'Room'),
        body: args.body,
        clientMessageId: args.clientMessageId ?? null,
        replyToId: args.replyToId == null ? null : rawId(String(args.replyToId), 'Message'),
        hasReplyToId: args.replyToId != null,
      }),
  }),
);

/** `roomId` and `after` of the room subscriptions. */
export const roomSubscriptionArgs = () =>
  builder.args((t) => ({
    roomId: t.id(),
    after: t.string({ description: 'A message or event cursor of that room: resume after it.', extensions: startPositionOnly }),
  }));

/** The resolver's view of the room subscriptions' arguments. */
export function roomSubscription(args: { roomId?: string | number | null; after?: string | null }): live.RoomSubscription {
  return {
    roomId: args.roomId == null ? null : rawId(String(args.roomId), 'Room'),
    hasRoomId: args.roomId != null,
    after: args.after ?? null,
  };
}

builder.subscriptionField('messageAdded', (t) =>
  t.field({
    type: MessageRef,
    description:
      'New messages in one room, or in every room of the signed-in user when roomId is omitted. With roomId and `after` (a message or event cursor of that room): first every message stored after it, in order, then live ones; no gap, no duplicate.',
    args: roomSubscriptionArgs(),
    // Each subscriber receives only events of rooms it may read.
    extensions: sameForEverySubscriber,
    subscribe: (_root, args, ctx) => live.subscribeMessages(ctx, roomSubscription(args)),
    resolve: (payload: MessageView, _args, ctx) => {
      releaseEntityManager(ctx);
      return payload;
    },
  }),
);
