import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import { decodeCursor } from '../../src/resolvers/pagination';
import { gqlData } from './http';
import { until } from './wait';

/**
 * Plain documents for the resume tests (no codegen): what a reconnecting client selects.
 * Cursors are opaque to clients; the tests read the position inside (`positionOf`) to
 * check order and contiguity.
 */
export const RoomEventsAfterDoc = `
  subscription RoomEventsAfter($roomId: ID, $after: String) {
    roomEvents(roomId: $roomId, after: $after) { kind cursor message { id body } }
  }`;

export const MessageAddedAfterDoc = `
  subscription MessageAddedAfter($roomId: ID, $after: String) {
    messageAdded(roomId: $roomId, after: $after) { id cursor body }
  }`;

export const SendWithCursorDoc = `
  mutation SendWithCursor($roomId: ID!, $body: String!) {
    sendMessage(roomId: $roomId, body: $body) { id cursor body }
  }`;

export const HistoryDoc = `
  query History($roomId: ID!, $first: Int, $after: String, $last: Int) {
    messages(roomId: $roomId, first: $first, after: $after, last: $last) {
      edges { cursor node { id cursor body } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface RoomEvent {
  kind: string;
  cursor: string;
  message: { id: string; body: string };
}

export interface SentMessage {
  id: string;
  cursor: string;
  body: string;
}

/** The log position a cursor names (white-box: cursors are opaque to clients). */
export function positionOf(cursor: string): number {
  return decodeCursor(cursor, null);
}

/** True when the positions are `first, first+1, ...`: in order, no gap, no duplicate. */
export function contiguousFrom(first: number, positions: number[]): boolean {
  return positions.every((position, i) => position === first + i);
}

/**
 * A subscription whose results are collected as they arrive (unlike `subscribe` in ws.ts,
 * which is read one result at a time): for tests that count hundreds of events, and
 * that must see how it ended (completed, or failed with a close code).
 */
export interface Collector<T> {
  readonly results: T[];
  readonly errors: unknown[];
  /** Set once the subscription ended: 'complete', or the error it failed with. */
  readonly ended: { how: 'complete' | 'error'; error?: unknown } | null;
  /** Waits (bounded) until `check(results)` holds; fails early if the subscription ended. */
  until(check: (results: T[]) => boolean, what: string, ms?: number): Promise<void>;
  stop(): void;
}

export function collect<T>(client: Client, query: string, variables: Record<string, unknown>, field: string): Collector<T> {
  const results: T[] = [];
  const errors: unknown[] = [];
  let ended: Collector<T>['ended'] = null;
  const stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result: FormattedExecutionResult<Record<string, T>, unknown>) => {
        if (result.errors?.length) errors.push(...result.errors);
        const value = result.data?.[field];
        if (value) results.push(value);
      },
      error: (error) => (ended = { how: 'error', error }),
      complete: () => (ended ??= { how: 'complete' }),
    },
  );
  return {
    results,
    errors,
    get ended() {
      return ended;
    },
    async until(check, what, ms = 10_000) {
      await until(
        () => {
          if (check(results)) return true;
          if (ended) throw new Error(`the subscription ended (${JSON.stringify(ended)}, errors ${JSON.stringify(errors)}) before ${what}; ${results.length} results`);
          return false;
        },
        what,
        ms,
      );
    },
    stop,
  };
}

/**
 * Sends messages one after another (each `send` awaited) until stopped: a live sender
 * while a subscription starts. `sent` holds the acknowledged messages in order.
 */
export function senderLoop<T = SentMessage>(send: (i: number) => Promise<T>): { sent: T[]; stop(): Promise<void> } {
  const sent: T[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) sent.push(await send(i));
  })();
  return {
    sent,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** A message's state as a roomEvents subscriber and history both show it (no per-viewer field). */
const stateFields = 'id cursor body editedAt deletedAt reactions { emoji count }';

export const RoomEventsStateDoc = `
  subscription RoomEventsState($roomId: ID, $after: String) {
    roomEvents(roomId: $roomId, after: $after) { kind cursor message { ${stateFields} } }
  }`;

export const HistoryStateDoc = `
  query HistoryState($roomId: ID!, $first: Int, $after: String) {
    messages(roomId: $roomId, first: $first, after: $after) {
      edges { node { ${stateFields} } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface MessageState extends SentMessage {
  editedAt: string | null;
  deletedAt: string | null;
  reactions: { emoji: string; count: number }[];
}

export interface StateEvent {
  kind: string;
  cursor: string;
  message: MessageState;
}

const ChurnDocs = {
  send: `mutation ChurnSend($roomId: ID!, $body: String!) { sendMessage(roomId: $roomId, body: $body) { ${stateFields} } }`,
  edit: `mutation ChurnEdit($messageId: ID!, $body: String!) { editMessage(messageId: $messageId, body: $body) { ${stateFields} } }`,
  delete: `mutation ChurnDelete($messageId: ID!) { deleteMessage(messageId: $messageId) { ${stateFields} } }`,
  react: `mutation ChurnReact($messageId: ID!, $emoji: String!) { addReaction(messageId: $messageId, emoji: $emoji) { ${stateFields} } }`,
  unreact: `mutation ChurnUnreact($messageId: ID!, $emoji: String!) { removeReaction(messageId: $messageId, emoji: $emoji) { ${stateFields} } }`,
};

/** Runs one mutation for the churning user; resolves with its data. */
export type Run = (document: string, variables: Record<string, unknown>) => Promise<Record<string, MessageState>>;

/** A Run over HTTP, as `token`'s user. */
export function httpRun(httpUrl: string, token: string): Run {
  return (document, variables) => gqlData<Record<string, MessageState>, unknown>(httpUrl, document, variables, token);
}

/** Sends a message and returns it with its state fields (its cursor is then the room's newest position). */
export async function sendState(run: Run, roomId: string, body: string): Promise<MessageState> {
  return (await run(ChurnDocs.send, { roomId, body })).sendMessage!;
}

/**
 * A room that keeps changing, one change per step, as a chat does: messages sent, the
 * newest edited and reacted to (a reaction added, another added and taken back), the one
 * before it deleted. Each step returns what the mutation returned; every kind of room event
 * comes up every six steps, and every other message is deleted (once) after its edit and reaction.
 */
export function roomChurn(run: Run, roomId: string): (step: number) => Promise<MessageState> {
  const sent: MessageState[] = [];
  const one = async (document: string, variables: Record<string, unknown>) => Object.values(await run(document, variables))[0]!;
  return async (step) => {
    const newest = sent.at(-1);
    const older = sent.at(-2);
    switch (step % 6) {
      case 1:
        return one(ChurnDocs.edit, { messageId: newest!.id, body: `edited at step ${step}` });
      case 2:
        return one(ChurnDocs.react, { messageId: newest!.id, emoji: '👍' });
      case 4:
        await one(ChurnDocs.react, { messageId: newest!.id, emoji: '🎉' });
        return one(ChurnDocs.unreact, { messageId: newest!.id, emoji: '🎉' });
      case 5:
        return one(ChurnDocs.delete, { messageId: older!.id });
      default: {
        const message = await sendState(run, roomId, `sent at step ${step}`);
        sent.push(message);
        return message;
      }
    }
  };
}
