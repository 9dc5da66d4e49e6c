import { ErrorCode, userError } from '../errors';

/** Relay connection arguments as clients send them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A validated page request over a room's sequence numbers. */
export interface PageRequest {
  direction: 'forward' | 'backward';
  size: number;
  /** Only sequence numbers strictly greater than this. */
  afterSeq: number | null;
  /** Only sequence numbers strictly smaller than this. */
  beforeSeq: number | null;
}

/** Cursors handed out before they named their room: `m<seq>`, still accepted for any room. */
const legacyPattern = /^m(\d{1,15})$/;
/** A cursor: a version byte, the room's 16 uuid bytes, the position as 8 bytes. */
const cursorVersion = 1;
const cursorBytes = 25;

/**
 * A position in a room's event log (a message's MESSAGE_ADDED, or any later event). It
 * never changes, so a cursor stays valid as the room moves on; it names its room, so a
 * cursor of another room is refused rather than silently read as a position here.
 */
export function encodeCursor(roomId: string, seq: number): string {
  const bytes = Buffer.alloc(cursorBytes);
  bytes[0] = cursorVersion;
  bytes.write(roomId.replace(/-/g, ''), 1, 16, 'hex');
  bytes.writeBigUInt64BE(BigInt(seq), 17);
  return bytes.toString('base64url');
}

/** The position a cursor names; BAD_USER_INPUT when it is malformed or names another room (null: not checked). */
export function decodeCursor(cursor: string, roomId: string | null): number {
  if (cursor.length > 40) throw malformed();
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length === cursorBytes && bytes[0] === cursorVersion) {
    if (roomId !== null && bytes.toString('hex', 1, 17) !== roomId.replace(/-/g, '')) {
      throw userError(ErrorCode.BadUserInput, 'This cursor belongs to another room.');
    }
    const seq = bytes.readBigUInt64BE(17);
    if (seq > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed();
    return Number(seq);
  }
  const legacy = legacyPattern.exec(bytes.toString('utf8'));
  if (!legacy) throw malformed();
  return Number(legacy[1]);
}

const malformed = () => userError(ErrorCode.BadUserInput, 'Malformed cursor.');

function validSize(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw userError(ErrorCode.BadUserInput, `\`${name}\` must be between 0 and ${max}.`);
  }
  return value;
}

/**
 * No `first`/`last` means the newest `defaultSize`; `after` alone reads forward from it.
 * `first` with `last` is ambiguous and rejected.
 */
export function toPageRequest(args: PageArgs, limits: { defaultSize: number; maxSize: number }, roomId: string | null): PageRequest {
  const hasFirst = args.first != null;
  const hasLast = args.last != null;
  if (hasFirst && hasLast) throw userError(ErrorCode.BadUserInput, 'Pass `first` or `last`, not both.');
  const afterSeq = args.after != null ? decodeCursor(args.after, roomId) : null;
  const beforeSeq = args.before != null ? decodeCursor(args.before, roomId) : null;
  const forward = hasFirst || (!hasLast && afterSeq !== null && beforeSeq === null);
  const requested = hasFirst ? args.first! : hasLast ? args.last! : limits.defaultSize;
  const size = validSize(hasFirst ? 'first' : 'last', requested, limits.maxSize);
  return { direction: forward ? 'forward' : 'backward', size, afterSeq, beforeSeq };
}
