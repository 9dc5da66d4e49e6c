import type { ConversationMessageFragment as Message } from '../gql/graphql';

export type { Message };

/**
 * The conversation's messages as this screen holds them: which messages, in the room's order,
 * plus the sends still on their way.
 *
 * WHY local state and not a graphcache connection: the list is built from three sources (history
 * pages prepended, live events appended, pending sends at the end) and must dedupe by id and
 * keep the room's order across resumes. Cursors are opaque, so the order is the order the API
 * delivers: pages are oldest first and end where the live stream starts (`after` = the newest
 * cursor held), live events come in the room's order. That is a few lines of reducer here and
 * a fragile merge in cache updaters. Every message still passes through graphcache (the same
 * fragment everywhere), so other screens see edits, deletes and reactions by id.
 */
export interface ConversationState {
  /** Message ids, oldest first. */
  readonly order: readonly string[];
  readonly byId: ReadonlyMap<string, Message>;
  /** Sends not yet seen in the live stream, oldest first. */
  readonly pending: readonly PendingSend[];
  /** Cursor of the newest thing held (history's end or the last live event): where to resume. */
  readonly resumeCursor: string | null;
  /** Cursor of the oldest message held: where the next older page ends. */
  readonly oldestCursor: string | null;
  readonly hasOlder: boolean;
  /** False until the newest page arrived. */
  readonly loaded: boolean;
}

export interface PendingSend {
  readonly clientMessageId: string;
  readonly body: string;
  readonly replyTo: Message | null;
  /** sending: on its way; stored: the API answered (waiting for the live event); failed: tap to retry. */
  readonly state: 'sending' | 'stored' | 'failed';
  readonly stored: Message | null;
  readonly error: string | null;
}

export interface HistoryPage {
  readonly messages: readonly Message[];
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

export type RoomEventKind = 'MESSAGE_ADDED' | 'MESSAGE_EDITED' | 'MESSAGE_DELETED' | 'REACTIONS_CHANGED';

export type ConversationAction =
  | { type: 'newestPage'; page: HistoryPage }
  | { type: 'olderPage'; page: HistoryPage }
  | { type: 'event'; kind: RoomEventKind; cursor: string; message: Message }
  | { type: 'updated'; message: Message }
  | { type: 'statuses'; statuses: readonly { id: string; status: Message['status'] }[] }
  | { type: 'sending'; send: PendingSend }
  | { type: 'sendStored'; clientMessageId: string; message: Message }
  | { type: 'sendFailed'; clientMessageId: string; error: string }
  | { type: 'retrying'; clientMessageId: string };

export const emptyConversation: ConversationState = {
  order: [],
  byId: new Map(),
  pending: [],
  resumeCursor: null,
  oldestCursor: null,
  hasOlder: false,
  loaded: false,
};

export function conversationReducer(state: ConversationState, action: ConversationAction): ConversationState {
  switch (action.type) {
    case 'newestPage':
      return withNewestPage(state, action.page);
    case 'olderPage':
      return withOlderPage(state, action.page);
    case 'event':
      return withEvent(state, action.kind, action.cursor, action.message);
    case 'updated':
      return withUpdatedMessage(state, action.message);
    case 'statuses':
      return withStatuses(state, action.statuses);
    case 'sending':
      return { ...state, pending: [...state.pending, action.send] };
    case 'sendStored':
      return withPending(state, action.clientMessageId, (p) => ({ ...p, state: 'stored', stored: action.message, error: null }), action.message);
    case 'sendFailed':
      return withPending(state, action.clientMessageId, (p) => ({ ...p, state: 'failed', error: action.error }));
    case 'retrying':
      return withPending(state, action.clientMessageId, (p) => ({ ...p, state: 'sending', error: null }));
  }
}

/**
 * The newest page. Read again in an empty room once the live stream runs (see useConversation):
 * then the page's order is the truth for what it holds, and what arrived live but is not in it
 * is newer, so it stays after.
 */
function withNewestPage(state: ConversationState, page: HistoryPage): ConversationState {
  const merged = mergeMessages(state, page.messages, 'append');
  const pageIds = page.messages.map((m) => m.id);
  const inPage = new Set(pageIds);
  const order = [...pageIds, ...state.order.filter((id) => !inPage.has(id))];
  return {
    ...merged,
    order,
    resumeCursor: state.resumeCursor ?? page.endCursor,
    oldestCursor: state.oldestCursor ?? page.startCursor,
    hasOlder: state.oldestCursor === null ? page.hasPreviousPage : state.hasOlder,
    loaded: true,
  };
}

function withOlderPage(state: ConversationState, page: HistoryPage): ConversationState {
  const merged = mergeMessages(state, page.messages, 'prepend');
  return { ...merged, oldestCursor: page.startCursor ?? state.oldestCursor, hasOlder: page.hasPreviousPage };
}

function withEvent(state: ConversationState, kind: RoomEventKind, cursor: string, message: Message): ConversationState {
  const next = kind === 'MESSAGE_ADDED' ? mergeMessages(state, [message], 'append') : withUpdatedMessage(state, message);
  const pending = message.clientMessageId
    ? next.pending.filter((p) => p.clientMessageId !== message.clientMessageId && p.stored?.id !== message.id)
    : next.pending;
  return { ...next, pending, resumeCursor: cursor };
}

/** An edit, delete or reaction change of a message held; one not held (older than the pages loaded) is read with its page later. */
function withUpdatedMessage(state: ConversationState, message: Message): ConversationState {
  if (!state.byId.has(message.id)) {
    const pending = state.pending.map((p) => (p.stored?.id === message.id ? { ...p, stored: message } : p));
    return { ...state, pending };
  }
  const byId = new Map(state.byId);
  byId.set(message.id, message);
  refreshQuotes(byId, message);
  return { ...state, byId };
}

/** Replies hold a copy of what they quote: an edited or deleted original shows so in them too. */
function refreshQuotes(byId: Map<string, Message>, original: Message): void {
  for (const [id, reply] of byId) {
    if (reply.replyTo?.id !== original.id) continue;
    const { body, deletedAt, author } = original;
    byId.set(id, { ...reply, replyTo: { ...reply.replyTo, body, deletedAt, author } });
  }
}

function withStatuses(state: ConversationState, statuses: readonly { id: string; status: Message['status'] }[]): ConversationState {
  const byId = new Map(state.byId);
  let changed = false;
  for (const { id, status } of statuses) {
    const held = byId.get(id);
    if (held && held.status !== status) {
      byId.set(id, { ...held, status });
      changed = true;
    }
  }
  const pending = state.pending.map((p) => {
    const fresh = p.stored && statuses.find((s) => s.id === p.stored?.id);
    return fresh && p.stored ? { ...p, stored: { ...p.stored, status: fresh.status } } : p;
  });
  return changed ? { ...state, byId, pending } : { ...state, pending };
}

/** Adds messages not held yet at one end (keeping their given order) and refreshes the ones held. */
function mergeMessages(state: ConversationState, messages: readonly Message[], end: 'append' | 'prepend'): ConversationState {
  const byId = new Map(state.byId);
  const added: string[] = [];
  for (const message of messages) {
    if (!byId.has(message.id)) added.push(message.id);
    byId.set(message.id, message);
  }
  const order = end === 'append' ? [...state.order, ...added] : [...added, ...state.order];
  return { ...state, byId, order };
}

/** Updates one pending send; a stored one whose message the live stream already brought is dropped. */
function withPending(
  state: ConversationState,
  clientMessageId: string,
  update: (p: PendingSend) => PendingSend,
  stored?: Message,
): ConversationState {
  if (stored && state.byId.has(stored.id)) {
    return { ...state, pending: state.pending.filter((p) => p.clientMessageId !== clientMessageId) };
  }
  return { ...state, pending: state.pending.map((p) => (p.clientMessageId === clientMessageId ? update(p) : p)) };
}

/** The messages in order, for rendering. */
export function orderedMessages(state: ConversationState): Message[] {
  return state.order.map((id) => state.byId.get(id)).filter((m): m is Message => m !== undefined);
}
