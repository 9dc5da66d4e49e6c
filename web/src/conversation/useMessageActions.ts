import { useCallback, useMemo } from 'react';
import { useMutation } from 'urql';
import type { CombinedError } from 'urql';
import { describeError, reportError } from '../client/errors';
import {
  AddReactionMutation,
  DeleteMessageMutation,
  EditMessageMutation,
  RemoveReactionMutation,
  SendMessageMutation,
} from './documents';
import { asMessage } from './message';
import type { ConversationAction, Message, PendingSend } from './messageStore';

export interface MessageActions {
  send(body: string, replyTo: Message | null): void;
  retry(send: PendingSend): void;
  edit(message: Message, body: string): Promise<boolean>;
  remove(message: Message): void;
  toggleReaction(message: Message, emoji: string): void;
}

/**
 * The mutations of a conversation. A send shows at once as pending under a fresh
 * `clientMessageId`; a retry reuses that key, so the API stores it once however often it is
 * tried. Answers of the other mutations refresh the message by id right away (the live event
 * that follows carries the same state).
 */
export function useMessageActions(roomId: string, dispatch: (action: ConversationAction) => void): MessageActions {
  const [, sendMessage] = useMutation(SendMessageMutation);
  const [, editMessage] = useMutation(EditMessageMutation);
  const [, deleteMessage] = useMutation(DeleteMessageMutation);
  const [, addReaction] = useMutation(AddReactionMutation);
  const [, removeReaction] = useMutation(RemoveReactionMutation);

  const deliver = useCallback(
    async (pending: PendingSend) => {
      const result = await sendMessage({
        roomId,
        body: pending.body,
        clientMessageId: pending.clientMessageId,
        replyToId: pending.replyTo?.id ?? null,
      });
      if (result.data) {
        dispatch({ type: 'sendStored', clientMessageId: pending.clientMessageId, message: asMessage(result.data.sendMessage) });
      } else {
        reportError(result.error);
        dispatch({ type: 'sendFailed', clientMessageId: pending.clientMessageId, error: describeError(result.error) });
      }
    },
    [roomId, sendMessage, dispatch],
  );

  const send = useCallback(
    (body: string, replyTo: Message | null) => {
      const pending: PendingSend = { clientMessageId: crypto.randomUUID(), body, replyTo, state: 'sending', stored: null, error: null };
      dispatch({ type: 'sending', send: pending });
      void deliver(pending);
    },
    [deliver, dispatch],
  );

  const retry = useCallback(
    (pending: PendingSend) => {
      dispatch({ type: 'retrying', clientMessageId: pending.clientMessageId });
      void deliver(pending);
    },
    [deliver, dispatch],
  );

  const applied = useCallback(
    (data: Message | undefined, error: CombinedError | undefined): boolean => {
      if (data) dispatch({ type: 'updated', message: asMessage(data) });
      else reportError(error);
      return data !== undefined;
    },
    [dispatch],
  );

  const edit = useCallback(
    async (message: Message, body: string) => {
      const result = await editMessage({ messageId: message.id, body });
      return applied(result.data?.editMessage, result.error);
    },
    [editMessage, applied],
  );

  const remove = useCallback(
    (message: Message) => {
      void deleteMessage({ messageId: message.id }).then((result) => applied(result.data?.deleteMessage, result.error));
    },
    [deleteMessage, applied],
  );

  const toggleReaction = useCallback(
    (message: Message, emoji: string) => {
      const mine = message.reactions.some((r) => r.emoji === emoji && r.reactedByMe);
      const change = mine
        ? removeReaction({ messageId: message.id, emoji }).then((r) => applied(r.data?.removeReaction, r.error))
        : addReaction({ messageId: message.id, emoji }).then((r) => applied(r.data?.addReaction, r.error));
      void change;
    },
    [addReaction, removeReaction, applied],
  );

  return useMemo(() => ({ send, retry, edit, remove, toggleReaction }), [send, retry, edit, remove, toggleReaction]);
}
