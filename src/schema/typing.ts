import { releaseEntityManager } from '../context';
import * as live from '../resolvers/live';
import * as typing from '../resolvers/typing';
import type { TypingView } from '../resolvers/views';
import { builder } from './builder';
import { rawId, RoomRef, UserRef } from './refs';
import { sameForEverySubscriber } from './sharing';

const TypingEventRef = builder.objectRef<TypingView>('TypingEvent').implement({
  fields: (t) => ({
    room: t.expose('room', { type: RoomRef, extensions: sameForEverySubscriber }),
    user: t.expose('user', { type: UserRef, extensions: sameForEverySubscriber }),
    isTyping: t.exposeBoolean('isTyping', { extensions: sameForEverySubscriber }),
  }),
});

builder.mutationField('setTyping', (t) =>
  t.boolean({
    description: 'Tells the other members of the room; a `true` not refreshed within about 6 seconds ends by itself.',
    args: { roomId: t.arg.id({ required: true }), isTyping: t.arg.boolean({ required: true }) },
    resolve: (_root, args, ctx) => typing.setTyping(ctx, { roomId: rawId(String(args.roomId), 'Room'), isTyping: args.isTyping }),
  }),
);

builder.subscriptionField('typing', (t) =>
  t.field({
    type: TypingEventRef,
    description: 'Typing indicators of the other members of one room.',
    args: { roomId: t.arg.id({ required: true }) },
    extensions: sameForEverySubscriber,
    subscribe: (_root, args, ctx) => live.subscribeTyping(ctx, rawId(String(args.roomId), 'Room')),
    resolve: (payload: TypingView, _args, ctx) => {
      releaseEntityManager(ctx);
      return payload;
    },
  }),
);
