import type { TestUser } from './factories';
import { gql, gqlData, type GraphQLResponse } from './http';
import type { TestServers } from './servers';

/** Plain string documents for read state (markers, unread counts, the chat list, ticks). */

const markerFields = `room { id } user { id username } lastRead { id body createdAt } lastDelivered { id body createdAt } updatedAt`;

export const MarkReadDoc = `mutation MarkRead($messageId: ID!) { markRead(messageId: $messageId) { ${markerFields} } }`;
export const MarkDeliveredDoc = `mutation MarkDelivered($messageId: ID!) { markDelivered(messageId: $messageId) { ${markerFields} } }`;
export const ReadMarkersDoc = `subscription Markers($roomId: ID) { readMarkers(roomId: $roomId) { ${markerFields} } }`;
export const ChatListDoc = `query ChatList {
  rooms { id name lastActivityAt unreadCount lastMessage { id body author { id } } }
}`;
export const RoomStateDoc = `query RoomState($id: ID!) {
  room(id: $id) { id unreadCount lastActivityAt readMarkers { ${markerFields} } messages(last: 50) { edges { node { id body status } } } }
}`;
export const StatusAddedDoc = `subscription Added($roomId: ID) { messageAdded(roomId: $roomId) { id body status } }`;

export interface MarkerJson {
  room: { id: string };
  user: { id: string; username: string };
  lastRead: { id: string; body: string; createdAt: string } | null;
  lastDelivered: { id: string; body: string; createdAt: string } | null;
  updatedAt: string;
}

export interface ChatListRoomJson {
  id: string;
  name: string | null;
  lastActivityAt: string;
  unreadCount: number;
  lastMessage: { id: string; body: string; author: { id: string } } | null;
}

export interface RoomStateJson {
  id: string;
  unreadCount: number;
  lastActivityAt: string;
  readMarkers: MarkerJson[];
  messages: { edges: { node: { id: string; body: string; status: string } }[] };
}

type Servers = Pick<TestServers, 'httpUrl'>;

export function tryMark(s: Servers, user: TestUser, messageId: string, read = true): Promise<GraphQLResponse<Record<string, MarkerJson>>> {
  return gql<Record<string, MarkerJson>, unknown>(s.httpUrl, read ? MarkReadDoc : MarkDeliveredDoc, { messageId }, user.token);
}

export const markRead = async (s: Servers, user: TestUser, messageId: string) =>
  (await gqlData<{ markRead: MarkerJson }, unknown>(s.httpUrl, MarkReadDoc, { messageId }, user.token)).markRead;

export const markDelivered = async (s: Servers, user: TestUser, messageId: string) =>
  (await gqlData<{ markDelivered: MarkerJson }, unknown>(s.httpUrl, MarkDeliveredDoc, { messageId }, user.token)).markDelivered;

export const chatList = async (s: Servers, user: TestUser) =>
  (await gqlData<{ rooms: ChatListRoomJson[] }, unknown>(s.httpUrl, ChatListDoc, {}, user.token)).rooms;

export const roomState = async (s: Servers, user: TestUser, roomId: string) =>
  (await gqlData<{ room: RoomStateJson }, unknown>(s.httpUrl, RoomStateDoc, { id: roomId }, user.token)).room;

/** Each message's status as the viewer reads it, by body, oldest first. */
export async function statuses(s: Servers, user: TestUser, roomId: string): Promise<[string, string][]> {
  return (await roomState(s, user, roomId)).messages.edges.map(({ node }) => [node.body, node.status]);
}

/** Markers as [username, lastRead body, lastDelivered body], in member order. */
export const markerSummary = (markers: MarkerJson[]) =>
  markers.map((m) => [m.user.username.split('_')[0], m.lastRead?.body ?? null, m.lastDelivered?.body ?? null]);
