import * as changes from '../resolvers/message-changes';
import { builder } from './builder';
import { MessageRef, rawId } from './refs';

/** Edit, delete and reactions: each returns the message as it is after the change, with its reactions. */
builder.mutationFields((t) => {
  const messageId = () => t.arg.id({ required: true });
  const messageIdOf = (args: { messageId: string | number }) => rawId(String(args.messageId), 'Message');
  return {
    editMessage: t.field({
      type: MessageRef,
      description: 'Author only.',
      args: { messageId: messageId(), body: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => changes.editMessage(ctx, { messageId: messageIdOf(args), body: args.body }),
    }),
    deleteMessage: t.field({
      type: MessageRef,
      description: 'Author only; deleting twice is not an error.',
      args: { messageId: messageId() },
      resolve: (_root, args, ctx) => changes.deleteMessage(ctx, { messageId: messageIdOf(args) }),
    }),
    addReaction: t.field({
      type: MessageRef,
      description: 'Members only; adding a reaction you already have is not an error.',
      args: { messageId: messageId(), emoji: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => changes.addReaction(ctx, { messageId: messageIdOf(args), emoji: args.emoji }),
    }),
    removeReaction: t.field({
      type: MessageRef,
      description: 'Members only; removing a reaction you do not have is not an error.',
      args: { messageId: messageId(), emoji: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => changes.removeReaction(ctx, { messageId: messageIdOf(args), emoji: args.emoji }),
    }),
  };
});
