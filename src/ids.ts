import { randomFillSync } from 'node:crypto';

/** The GraphQL types whose ids are global (see the `Node` interface). */
export type NodeType = 'User' | 'Room' | 'Message';
const nodeTypes: ReadonlySet<string> = new Set<NodeType>(['User', 'Room', 'Message']);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Random bytes drawn in blocks: one call per 256 ids instead of one per id (a send makes one). */
const randomPool = Buffer.alloc(16 * 256);
let randomOffset = randomPool.length;

/**
 * A time-ordered UUID (RFC 9562 version 7): new rows land at the end of the
 * primary-key index instead of at random places in it.
 */
export function uuidv7(now = Date.now()): string {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const bytes = randomPool.subarray(randomOffset, (randomOffset += 16));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Opaque id, unique across types, so that `node(id)` knows which table to read. */
export function toGlobalId(type: NodeType, rawId: string): string {
  return Buffer.from(`${type}:${rawId}`).toString('base64url');
}

export interface DecodedId {
  type: NodeType;
  rawId: string;
}

/** Decodes a global id; null for anything we did not issue. */
export function fromGlobalId(globalId: string): DecodedId | null {
  if (globalId.length > 100) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  const type = decoded.slice(0, separator);
  const rawId = decoded.slice(separator + 1);
  if (separator < 0 || !nodeTypes.has(type) || !uuidPattern.test(rawId)) return null;
  return { type: type as NodeType, rawId };
}
