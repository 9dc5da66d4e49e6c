import { releaseEntityManager } from '../context';
import type { PresenceUserView } from '../live/presence-feed';
import * as presence from '../resolvers/presence';
import { builder } from './builder';
import { UserRef } from './refs';

// Per viewer (strangers read offline): never declared sameForEverySubscriber.
builder.objectFields(UserRef, (t) => ({
  online: t.boolean({
    description: 'True while the user has at least one live WebSocket connection on any server process. False for users you share no room with.',
    resolve: async (user, _args, ctx) => (await presence.presenceOf(ctx, user)).online,
  }),
  lastSeenAt: t.field({
    type: 'DateTime',
    nullable: true,
    description: "When the user's last live connection ended; null while online, for users never seen, and for users you share no room with.",
    resolve: async (user, _args, ctx) => (await presence.presenceOf(ctx, user)).lastSeenAt,
  }),
}));

builder.subscriptionField('presence', (t) =>
  t.field({
    type: UserRef,
    description: 'Users you share a room with coming online or going offline.',
    subscribe: (_root, _args, ctx) => presence.subscribePresence(ctx),
    resolve: (payload: PresenceUserView, _args, ctx) => {
      releaseEntityManager(ctx);
      return payload;
    },
  }),
);
