/**
 * What the load generator and the raw baseline agree on: the GraphQL documents the load
 * generator sends to the service, the raw protocol's frames, and the body format that
 * carries a send timestamp so a delivery can be timed without parsing its JSON.
 */

/**
 * The subscription every bench subscriber holds; the raw server builds a frame of this shape.
 * It selects `status` (the ticks of issue 10), which the service must resolve once per message
 * and share among subscribers: the fan-out target is read with it.
 */
export const subscriptionQuery =
  'subscription BenchMessages($roomId: ID!) { messageAdded(roomId: $roomId) { id body createdAt status author { id username } room { id } } }';

/**
 * The reconnect storm's subscription: the same message fields plus `cursor`, which a
 * subscriber keeps and passes back as `after` when it reconnects.
 */
export const resumableSubscriptionQuery =
  'subscription BenchResume($roomId: ID!, $after: String) { messageAdded(roomId: $roomId, after: $after) { id body createdAt cursor author { id username } room { id } } }';

/** `editMessage` and `addReaction` as the mutate scenarios send them over HTTP. */
export const editMutation = 'mutation BenchEdit($messageId: ID!, $body: String!) { editMessage(messageId: $messageId, body: $body) { id editedAt } }';
export const reactMutation =
  'mutation BenchReact($messageId: ID!, $emoji: String!) { addReaction(messageId: $messageId, emoji: $emoji) { id reactions { emoji count reactedByMe } } }';

/** `markRead` as the markread scenario sends it: `lastRead` tells the load generator the marker really moved there. */
export const markReadMutation = 'mutation BenchMarkRead($messageId: ID!) { markRead(messageId: $messageId) { updatedAt lastRead { id } } }';

/** The chat list: a client's first screen (issue 10). */
export const chatListQuery = 'query BenchChatList { rooms { lastMessage { body } unreadCount lastActivityAt } }';
/** The name of the chat list's measured series (the other is the /health floor). */
export const chatListSeries = 'rooms { lastMessage unreadCount lastActivityAt }';

const cursorKey = Buffer.from('"cursor":"');

/** The `cursor` string of a delivered frame (resumable subscriptions), or null. */
export function cursorIn(frame: Buffer): string | null {
  const start = frame.indexOf(cursorKey);
  if (start < 0) return null;
  const from = start + cursorKey.length;
  const end = frame.indexOf(0x22, from);
  return end < 0 ? null : frame.toString('latin1', from, end);
}

/** The room position a cursor names (src/resolvers/pagination.ts: version byte, room uuid, 8-byte position); -1 when it is not one. */
export function cursorPosition(cursor: string): number {
  const bytes = Buffer.from(cursor, 'base64url');
  return bytes.length === 25 && bytes[0] === 1 ? Number(bytes.readBigUInt64BE(17)) : -1;
}

/** sendMessage as publishers send it over the WebSocket (and over HTTP in the `send` scenario). */
export const sendMutation = 'mutation BenchSend($roomId: ID!, $body: String!) { sendMessage(roomId: $roomId, body: $body) { id createdAt } }';

export const historyQuery =
  'query BenchHistory($roomId: ID!, $before: String) { messages(roomId: $roomId, last: 50, before: $before) { edges { cursor node { id body createdAt author { id username } } } pageInfo { hasPreviousPage startCursor } } }';

/** The id every bench subscriber gives its one subscription. */
export const subscriptionId = '1';

/** The raw baseline's frames (client → server). */
export type RawClientFrame =
  | { type: 'hello'; token: string }
  | { type: 'sub'; id: string; room: string }
  | { type: 'pub'; id: string; room: string; body: string; username: string };

/** A delivery body: `~B|<phase>|<seq>|<send time ms>|` padded with `x` to `bytes`. */
const marker = '~B|';

export function timedBody(phase: number, seq: number, sentAtMs: number, bytes: number): string {
  const head = `${marker}${phase}|${seq}|${sentAtMs.toFixed(3)}|`;
  return head.length >= bytes ? head : head + 'x'.repeat(bytes - head.length);
}

const markerBytes = Buffer.from(marker);
const pipe = 0x7c;
const dot = 0x2e;

/**
 * Reads the timed body inside a delivered frame straight from its bytes (no string, no
 * JSON.parse): the load generator does this for every delivery, so it must stay cheap.
 * Returns false for any other frame; otherwise fills `out`.
 */
export function readTimedFrame(frame: Buffer, out: TimedDelivery): boolean {
  let i = frame.indexOf(markerBytes);
  if (i < 0) return false;
  i += markerBytes.length;
  let phase = 0;
  for (; i < frame.length && frame[i] !== pipe; i++) phase = phase * 10 + frame[i]! - 48;
  let seq = 0;
  for (i++; i < frame.length && frame[i] !== pipe; i++) seq = seq * 10 + frame[i]! - 48;
  let sentAt = 0;
  let scale = 0;
  for (i++; i < frame.length && frame[i] !== pipe; i++) {
    if (frame[i] === dot) scale = 1;
    else {
      sentAt = sentAt * 10 + frame[i]! - 48;
      if (scale) scale *= 10;
    }
  }
  if (i >= frame.length) return false;
  out.phase = phase;
  out.seq = seq;
  out.sentAtMs = scale ? sentAt / scale : sentAt;
  return true;
}

export interface TimedDelivery {
  phase: number;
  seq: number;
  sentAtMs: number;
}

/** Relay-style global ids, as the service encodes them (src/ids.ts). */
export function globalId(type: 'User' | 'Room' | 'Message', rawId: string): string {
  return Buffer.from(`${type}:${rawId}`).toString('base64url');
}

export function rawIdOf(id: string): string {
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** A history cursor for a room sequence number (src/resolvers/pagination.ts). */
export function cursorOf(seq: number): string {
  return Buffer.from(`m${seq}`).toString('base64url');
}
