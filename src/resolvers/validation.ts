import { ErrorCode, userError } from '../errors';

const usernamePattern = /^[A-Za-z0-9_.-]{3,32}$/;

/** Counts Unicode code points, so an emoji is one character, as a person would count. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

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

/** Room names are kept as typed, surrounding spaces trimmed. */
export function validateRoomName(name: string): string {
  const trimmed = name.trim();
  const length = characterCount(trimmed);
  if (length < 1 || length > 100) throw userError(ErrorCode.BadUserInput, 'Room name must be 1–100 characters.');
  return trimmed;
}

/** Message bodies are stored trimmed; 1–4000 characters remain. */
export function validateBody(body: string): string {
  const trimmed = body.trim();
  const length = characterCount(trimmed);
  if (length < 1) throw userError(ErrorCode.BadUserInput, 'Message body must not be empty.');
  if (length > 4000) throw userError(ErrorCode.BadUserInput, 'Message body must be at most 4000 characters.');
  return trimmed;
}
