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

const cursorPattern = /^m(\d{1,15})$/;

/** Cursors name a room sequence number, which never changes, so they stay valid as messages arrive. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`m${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = cursorPattern.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || cursor.length > 40) throw userError(ErrorCode.BadUserInput, 'Malformed cursor.');
  return Number(match[1]);
}

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
export function toPageRequest(args: PageArgs, limits: { defaultSize: number; maxSize: number }): PageRequest {
  const hasFirst = args.first != null;
  const hasLast = args.last != null;
  if (hasFirst && hasLast) throw userError(ErrorCode.BadUserInput, 'Pass `first` or `last`, not both.');
  const afterSeq = args.after != null ? decodeCursor(args.after) : null;
  const beforeSeq = args.before != null ? decodeCursor(args.before) : null;
  const forward = hasFirst || (!hasLast && afterSeq !== null && beforeSeq === null);
  const requested = hasFirst ? args.first! : hasLast ? args.last! : limits.defaultSize;
  const size = validSize(hasFirst ? 'first' : 'last', requested, limits.maxSize);
  return { direction: forward ? 'forward' : 'backward', size, afterSeq, beforeSeq };
}
