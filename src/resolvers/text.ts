import { ErrorCode, userError } from '../errors';

/**
 * What user-written text (message bodies, room names) may contain, decided once at the
 * edge so that what is stored, what is returned and what is delivered live are the same
 * string. PostgreSQL cannot store a lone surrogate (it became U+FFFD in history while
 * live delivery carried the original) nor a NUL (the insert failed); control characters
 * drive terminals and log viewers; text that is only invisible characters shows as an
 * empty message that still notifies everyone.
 */

/** A UTF-16 surrogate not paired with its other half: `\p{Cs}` matches only those in a `u` pattern. */
const loneSurrogate = /\p{Cs}/u;
/** C0 and C1 controls and DEL (`\p{Cc}`), except tab and line feed, which bodies may hold. */
const bodyControl = /[^\t\n\P{Cc}]/u;
/** Every control, and the Unicode line and paragraph separators: a room name is one line. */
const nameControl = /[\p{Cc}\p{Zl}\p{Zp}]/u;
/** Carriage returns become line feeds, so that `\r\n` from one client and `\n` from another store alike. */
const carriageReturn = /\r\n?/g;
/**
 * Characters that show nothing on their own: white space, format characters (zero-width
 * joiners and spaces, bidi marks, embeddings, overrides and isolates, soft hyphen,
 * BOM) and other default-ignorables (variation selectors, Hangul fillers, tag characters).
 * Within visible text they stay: emoji ZWJ sequences and RTL marks need them.
 */
const invisible = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

export interface TextRules {
  /** Shown in error messages: "Message body", "Room name". */
  readonly what: string;
  readonly maxCharacters: number;
  /** Bodies keep line feeds and tabs; names hold no control at all. */
  readonly multiline: boolean;
}

/** Counts Unicode code points, so an emoji is one character, as a person would count. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * The text as it will be stored and delivered: line breaks as `\n`, NFC-normalised,
 * surrounding white space trimmed. BAD_USER_INPUT for a lone surrogate, a control
 * character (NUL, ESC, DEL, C1…), nothing visible, or more than `maxCharacters` code points.
 */
export function normaliseText(raw: string, rules: TextRules): string {
  if (loneSurrogate.test(raw)) throw invalid(rules, 'must be valid Unicode (it contains a lone surrogate)');
  const lines = rules.multiline ? raw.replace(carriageReturn, '\n') : raw;
  if ((rules.multiline ? bodyControl : nameControl).test(lines)) {
    throw invalid(rules, rules.multiline ? 'must not contain control characters other than line breaks and tabs' : 'must not contain control characters or line breaks');
  }
  const text = lines.normalize('NFC').trim();
  if (!hasVisibleCharacter(text)) throw invalid(rules, 'must contain a visible character');
  if (characterCount(text) > rules.maxCharacters) throw invalid(rules, `must be at most ${rules.maxCharacters} characters`);
  return text;
}

function hasVisibleCharacter(text: string): boolean {
  return text.replace(invisible, '').length > 0;
}

function invalid(rules: TextRules, why: string) {
  return userError(ErrorCode.BadUserInput, `${rules.what} ${why}.`);
}
