import { releaseEntityManager } from '../context';
import * as live from '../resolvers/live';
import { encodeCursor } from '../resolvers/pagination';
import type { RoomEventView } from '../resolvers/views';
import { builder } from './builder';
import { roomSubscription, roomSubscriptionArgs } from './message';
import { MessageRef, RoomRef } from './refs';
import { sameForEverySubscriber } from './sharing';

const RoomEventKindRef = builder.enumType('RoomEventKind', {
  values: {
    MESSAGE_ADDED: { description: 'A message was sent.' },
    MESSAGE_EDITED: { description: 'Its author changed its body.' },
    MESSAGE_DELETED: { description: 'Its author deleted it: it is now a tombstone.' },
    REACTIONS_CHANGED: { description: 'A reaction was added or removed.' },
  } as const,
});

const RoomEventRef = builder.objectRef<RoomEventView>('RoomEvent').implement({
  description: "One change to a room's messages, in the room's order.",
  fields: (t) => ({
    kind: t.expose('kind', { type: RoomEventKindRef, extensions: sameForEverySubscriber }),
    cursor: t.string({
      description: "This event's place in the room: pass it as `after` to resume.",
      extensions: sameForEverySubscriber,
      resolve: (event) => encodeCursor(event.message.room.id, event.seq),
    }),
    room: t.field({ type: RoomRef, extensions: sameForEverySubscriber, resolve: (event) => event.message.room }),
    message: t.expose('message', { type: MessageRef, description: 'The message as it is after this event.', extensions: sameForEverySubscriber }),
  }),
});

builder.subscriptionField('roomEvents', (t) =>
  t.field({
    type: RoomEventRef,
    description:
      "Every change to the messages of one room (or of every room of the signed-in user when roomId is omitted), in the room's order. With roomId and `after`: first every event after that cursor, then live ones; no gap, no duplicate.",
    args: roomSubscriptionArgs(),
    // Each subscriber receives only events of rooms it may read.
    extensions: sameForEverySubscriber,
    subscribe: (_root, args, ctx) => live.subscribeRoomEvents(ctx, roomSubscription(args)),
    resolve: (payload: RoomEventView, _args, ctx) => {
      releaseEntityManager(ctx);
      return payload;
    },
  }),
);
