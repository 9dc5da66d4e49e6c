import { handleStreamOrSingleExecutionResult, type Plugin } from '@envelop/core';
import type { ExecutionResult } from 'graphql';
import { ErrorCode, userError } from '../../errors';

/**
 * MAX_RESPONSE_BYTES: a result whose JSON is larger than `maxBytes` is replaced by a
 * BAD_USER_INPUT error, so that one operation cannot fill the server's memory or the
 * client's. 0 turns it off.
 */
export function tooLargeResult(maxBytes: number): ExecutionResult {
  return { errors: [userError(ErrorCode.BadUserInput, `The result is larger than ${maxBytes} bytes; ask for less.`)] };
}

/**
 * True when `json` is more than `maxBytes` bytes of UTF-8 (never when maxBytes is 0).
 * A UTF-16 unit is at most 3 bytes, so the exact count is needed only near the limit:
 * a normal result costs one comparison.
 */
export function exceedsBytes(json: string, maxBytes: number): boolean {
  if (maxBytes === 0 || json.length * 3 <= maxBytes) return false;
  return json.length > maxBytes || Buffer.byteLength(json) > maxBytes;
}

/** V8 cannot build a string this long (JSON.stringify of a result of hundreds of MB). */
export function isStringTooLong(err: unknown): boolean {
  return err instanceof RangeError && /Invalid string length/.test(err.message);
}

/** The result's JSON, or null when it is larger than `maxBytes` (or than any string can be). */
export function boundedJson(result: unknown, maxBytes: number): string | null {
  try {
    const json = JSON.stringify(result);
    return exceedsBytes(json, maxBytes) ? null : json;
  } catch (err) {
    if (maxBytes > 0 && isStringTooLong(err)) return null;
    throw err;
  }
}

/** Contexts of operations whose transport serializes and bounds the result itself (the HTTP fast lane). */
const boundedByTransport = new WeakSet<object>();

/** Tells the plugin below that this operation's transport checks the size as it serializes (no second JSON.stringify). */
export function markBoundedByTransport(context: object): void {
  boundedByTransport.add(context);
}

/**
 * The same bound for results that transports other than the fast lane serialize (Yoga's own
 * HTTP and SSE answers, graphql-ws results and per-subscriber events): they serialize
 * inside the library, so the result is serialized once more here to be measured. The
 * shared fan-out (shared-execution.ts) and the fast lane check their own JSON instead.
 */
export function useResponseSizeLimit(maxBytes: number): Plugin {
  if (maxBytes === 0) return {};
  const bound = ({ result, setResult }: { result: ExecutionResult; setResult: (r: ExecutionResult) => void }) => {
    if (boundedJson(result, maxBytes) === null) setResult(tooLargeResult(maxBytes));
  };
  return {
    onExecute: ({ args }) =>
      boundedByTransport.has(args.contextValue as object) ? undefined : { onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, bound) },
    onSubscribe: () => ({ onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, bound) }),
  };
}
