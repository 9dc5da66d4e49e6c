import { releaseEntityManager } from '../context';
import * as history from '../resolvers/history';
import * as live from '../resolvers/live';
import * as messages from '../resolvers/messages';
import type { MessageView } from '../resolvers/views';
import { builder } from './builder';
import { countedByParent, pageCost } from './cost';
import { NodeRef, nodeTypeOf } from './node';
import { MessageRef, rawId, RoomRef, UserRef } from './refs';
import { sameForEverySubscriber } from './sharing';

MessageRef.implement({
  interfaces: [NodeRef],
  isTypeOf: (value) => nodeTypeOf(value) === 'Message',
  fields: (t) => ({
    room: t.expose('room', { type: RoomRef, extensions: sameForEverySubscriber }),
    author: t.expose('author', { type: UserRef, extensions: sameForEverySubscriber }),
    body: t.exposeString('body', { extensions: sameForEverySubscriber }),
    createdAt: t.expose('createdAt', { type: 'DateTime', extensions: sameForEverySubscriber }),
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
    args: { roomId: t.arg.id({ required: true }), body: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => messages.sendMessage(ctx, { roomId: rawId(String(args.roomId), 'Room'), body: args.body }),
  }),
);

builder.subscriptionField('messageAdded', (t) =>
  t.field({
    type: MessageRef,
    description: 'New messages in one room, or in every room of the signed-in user when roomId is omitted.',
    args: { roomId: t.arg.id() },
    // Each subscriber receives only events of rooms it may read.
    extensions: sameForEverySubscriber,
    subscribe: (_root, args, ctx) =>
      args.roomId == null
        ? live.subscribeAllMessages(ctx)
        : live.subscribeRoomMessages(ctx, rawId(String(args.roomId), 'Room')),
    resolve: (payload: MessageView, _args, ctx) => {
      releaseEntityManager(ctx);
      return payload;
    },
  }),
);
