import type { TestUser } from './factories';
import { gql, gqlData } from './http';
import type { TestServers } from './servers';

/**
 * Plain string documents for edit, delete and reactions (no codegen): every field of a
 * message that a change touches, with its reactions as the viewer sees them.
 */
export const messageFields = `
  id body editedAt deletedAt cursor createdAt
  author { id username }
  reactions { emoji count reactedByMe users { id username } }`;

export const EditMessageDoc = `mutation Edit($messageId: ID!, $body: String!) { editMessage(messageId: $messageId, body: $body) { ${messageFields} } }`;
export const DeleteMessageDoc = `mutation Delete($messageId: ID!) { deleteMessage(messageId: $messageId) { ${messageFields} } }`;
export const AddReactionDoc = `mutation Add($messageId: ID!, $emoji: String!) { addReaction(messageId: $messageId, emoji: $emoji) { ${messageFields} } }`;
export const RemoveReactionDoc = `mutation Remove($messageId: ID!, $emoji: String!) { removeReaction(messageId: $messageId, emoji: $emoji) { ${messageFields} } }`;

export const RoomEventsDoc = `subscription Events($roomId: ID, $after: String) {
  roomEvents(roomId: $roomId, after: $after) { kind cursor room { id } message { ${messageFields} } }
}`;

export const HistoryDoc = `query History($roomId: ID!) { messages(roomId: $roomId, last: 5) { edges { cursor node { ${messageFields} } } } }`;

export interface ReactionJson {
  emoji: string;
  count: number;
  reactedByMe: boolean;
  users: { id: string; username: string }[];
}

export interface MessageJson {
  id: string;
  body: string;
  editedAt: string | null;
  deletedAt: string | null;
  cursor: string;
  createdAt: string;
  author: { id: string; username: string };
  reactions: ReactionJson[];
}

export interface RoomEventJson {
  kind: string;
  cursor: string;
  room: { id: string };
  message: MessageJson;
}

type Servers = Pick<TestServers, 'httpUrl'>;

export const edit = async (s: Servers, user: TestUser, messageId: string, body: string) =>
  (await gqlData<{ editMessage: MessageJson }, unknown>(s.httpUrl, EditMessageDoc, { messageId, body }, user.token)).editMessage;

export const remove = async (s: Servers, user: TestUser, messageId: string) =>
  (await gqlData<{ deleteMessage: MessageJson }, unknown>(s.httpUrl, DeleteMessageDoc, { messageId }, user.token)).deleteMessage;

export const react = async (s: Servers, user: TestUser, messageId: string, emoji: string) =>
  (await gqlData<{ addReaction: MessageJson }, unknown>(s.httpUrl, AddReactionDoc, { messageId, emoji }, user.token)).addReaction;

export const unreact = async (s: Servers, user: TestUser, messageId: string, emoji: string) =>
  (await gqlData<{ removeReaction: MessageJson }, unknown>(s.httpUrl, RemoveReactionDoc, { messageId, emoji }, user.token)).removeReaction;

/** The raw response of a change, to check its error code. */
export const attempt = (s: Servers, user: TestUser, document: string, variables: Record<string, unknown>) =>
  gql<Record<string, MessageJson>, unknown>(s.httpUrl, document, variables, user.token);

/** The room's history (newest 5), oldest first. */
export async function history(s: Servers, user: TestUser, roomId: string): Promise<MessageJson[]> {
  const data = await gqlData<{ messages: { edges: { node: MessageJson }[] } }, unknown>(s.httpUrl, HistoryDoc, { roomId }, user.token);
  return data.messages.edges.map((edge) => edge.node);
}

export const SendDoc = `mutation Send($roomId: ID!, $body: String!) { sendMessage(roomId: $roomId, body: $body) { ${messageFields} } }`;

/** sendMessage, answering with the same fields as the changes (cursor included). */
export const post = async (s: Servers, user: TestUser, roomId: string, body: string) =>
  (await gqlData<{ sendMessage: MessageJson }, unknown>(s.httpUrl, SendDoc, { roomId, body }, user.token)).sendMessage;

/** Thirty different emojis, for the per-message cap. */
export const distinctEmojis = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩🤔🤨😐😑😶🙄😏😣😥'];
