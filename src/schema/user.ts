import * as auth from '../resolvers/auth';
import * as sessions from '../resolvers/sessions';
import * as users from '../resolvers/users';
import { fromGlobalId } from '../ids';
import { builder } from './builder';
import { NodeRef, nodeTypeOf } from './node';
import { UserRef } from './refs';
import { sameForEverySubscriber } from './sharing';

UserRef.implement({
  interfaces: [NodeRef],
  isTypeOf: (value) => nodeTypeOf(value) === 'User',
  fields: (t) => ({
    username: t.exposeString('username', { extensions: sameForEverySubscriber }),
    createdAt: t.expose('createdAt', { type: 'DateTime', extensions: sameForEverySubscriber }),
  }),
});

const AuthPayloadRef = builder.objectRef<auth.AuthPayload>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', {
      description:
        'A signed JWT; send it as `Authorization: Bearer <token>` over HTTP and as `{ token }` in graphql-ws connection_init.',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    user: t.expose('user', { type: UserRef }),
    refreshToken: t.exposeString('refreshToken', {
      description: 'Single use: `refreshSession` exchanges it for a new AuthPayload (a new token and a new refreshToken).',
    }),
    refreshExpiresAt: t.expose('refreshExpiresAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({ type: UserRef, description: 'The signed-in user.', resolve: (_root, _args, ctx) => users.me(ctx) }),
  userByUsername: t.field({
    type: UserRef,
    nullable: true,
    args: { username: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => users.userByUsername(ctx, args.username),
  }),
  node: t.field({
    type: NodeRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => users.node(ctx, fromGlobalId(String(args.id))),
  }),
}));


builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayloadRef,
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => auth.register(ctx, args),
  }),
  login: t.field({
    type: AuthPayloadRef,
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => auth.login(ctx, args),
  }),
  refreshSession: t.field({
    type: AuthPayloadRef,
    description: 'Exchanges a refresh token for a new AuthPayload. A refresh token works once; presenting a used one ends its whole session.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => auth.refreshSession(ctx, args.refreshToken),
  }),
  logout: t.boolean({
    description: 'Ends the current session: its refresh token stops working and its live sockets are closed.',
    resolve: (_root, _args, ctx) => sessions.logout(ctx),
  }),
}));
