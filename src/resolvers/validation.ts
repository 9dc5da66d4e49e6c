import { ErrorCode, userError } from '../errors';
import { characterCount, normaliseText, type TextRules } from './text';

const usernamePattern = /^[A-Za-z0-9_.-]{3,32}$/;

export function validateUsername(username: string): string {
  if (!usernamePattern.test(username)) {
    throw userError(ErrorCode.BadUserInput, 'Username must be 3–32 characters of letters, digits, "_", "." or "-".');
  }
  return username;
}

export function validatePassword(password: string): string {
  const length = characterCount(password);
  if (length < 8 || length > 128) throw userError(ErrorCode.BadUserInput, 'Password must be 8–128 characters.');
  return password;
}

const roomNameRules: TextRules = { what: 'Room name', maxCharacters: 100, multiline: false };
const bodyRules: TextRules = { what: 'Message body', maxCharacters: 4000, multiline: true };

/** Room names: one line, 1–100 characters once normalised and trimmed (see text.ts for what is refused). */
export function validateRoomName(name: string): string {
  return normaliseText(name, roomNameRules);
}

/** Message bodies: 1–4000 characters once normalised and trimmed; line breaks and tabs allowed (see text.ts). */
export function validateBody(body: string): string {
  return normaliseText(body, bodyRules);
}

/** Controls (NUL, ESC, DEL, C1…), line and paragraph separators, and lone surrogates. */
const keyRefused = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * A sendMessage idempotency key: 1–64 characters (code points), none of them a control
 * character, a line or paragraph separator or a lone surrogate. Kept exactly as given (not
 * trimmed, not normalised, case-sensitive): it is compared byte for byte, as the client
 * generated it (typically a UUID).
 */
export function validateClientMessageId(key: string): string {
  const length = characterCount(key);
  if (length < 1 || length > 64 || keyRefused.test(key)) {
    throw userError(ErrorCode.BadUserInput, 'clientMessageId must be 1–64 characters, without control characters or line breaks.');
  }
  return key;
}
