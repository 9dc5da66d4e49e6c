import DataLoader from 'dataloader';
import type { SqlClient } from '../entities/sql-client';
import { readMessagesByIds } from '../entities/stores/messages';
import { readReactions } from '../entities/stores/reactions';
import { positionKey, readLastMessages, readMarkerFloors, readMessagesAt, readUnreadCounts, type MarkerFloors } from '../entities/stores/read-state';
import { readRoomActivity } from '../entities/stores/rooms';
import type { DateLike, MessageView, ReactionView } from './views';

/**
 * Reads that fields make per parent (a history page's replies and reactions): batched per
 * tick into one statement. Not cached: a subscription keeps its context for its whole
 * life, and a cache would serve an event the reactions of an earlier one.
 */
export interface Loaders {
  message: DataLoader<string, MessageView | null>;
  reactions: DataLoader<string, ReactionView[]>;
  /** By room id: its newest message that is not deleted. */
  lastMessage: DataLoader<string, MessageView | null>;
  /** By `userId:roomId` (unreadKey): that member's unread count; 0 for a non-member. */
  unreadCount: DataLoader<string, number>;
  /** By room id: the lowest markers of its members (Message.status). */
  markerFloors: DataLoader<string, MarkerFloors>;
  /** By positionKey(roomId, seq): the message a marker points at. */
  messageAt: DataLoader<string, MessageView | null>;
  /** By room id: when its newest message was sent, or it was created. */
  roomActivity: DataLoader<string, DateLike | null>;
}

export const unreadKey = (userId: string, roomId: string) => `${userId}:${roomId}`;

const batchOptions = { cache: false, maxBatchSize: 100 };

export function createLoaders(sql: SqlClient): Loaders {
  return {
    message: new DataLoader(
      async (ids) => {
        const byId = new Map((await readMessagesByIds(sql, ids)).map((m) => [m.id, m]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      batchOptions,
    ),
    reactions: new DataLoader(async (ids) => {
      const byId = await readReactions(sql, ids);
      return ids.map((id) => byId.get(id) ?? []);
    }, batchOptions),
    lastMessage: new DataLoader(async (roomIds) => {
      const byRoom = await readLastMessages(sql, roomIds);
      return roomIds.map((id) => byRoom.get(id) ?? null);
    }, batchOptions),
    unreadCount: new DataLoader(async (keys) => {
      // One request has one viewer: every key has the same user.
      const pairs = keys.map((key) => key.split(':') as [string, string]);
      const byRoom = await readUnreadCounts(sql, pairs[0]![0], pairs.map(([, roomId]) => roomId));
      return pairs.map(([, roomId]) => byRoom.get(roomId) ?? 0);
    }, batchOptions),
    markerFloors: new DataLoader(async (roomIds) => {
      const byRoom = await readMarkerFloors(sql, roomIds);
      return roomIds.map((id) => byRoom.get(id) ?? { read: 0, delivered: 0 });
    }, batchOptions),
    messageAt: new DataLoader(async (keys) => {
      const positions = keys.map((key) => {
        const [roomId, seq] = key.split(':');
        return { roomId: roomId!, seq: Number(seq) };
      });
      const byPosition = await readMessagesAt(sql, positions);
      return positions.map((p) => byPosition.get(positionKey(p.roomId, p.seq)) ?? null);
    }, batchOptions),
    roomActivity: new DataLoader(async (roomIds) => {
      const byRoom = await readRoomActivity(sql, roomIds);
      return roomIds.map((id) => byRoom.get(id) ?? null);
    }, batchOptions),
  };
}
