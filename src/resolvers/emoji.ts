import { ErrorCode, userError } from '../errors';

/**
 * A reaction is exactly one emoji as keyboards send it: one RGI emoji (Unicode's
 * "recommended for general interchange" set, which every current platform draws as one
 * picture), so skin tones (👍🏽), ZWJ sequences (🧑‍💻, 👨‍👩‍👧), keycaps (1️⃣), flags (🇫🇷)
 * and subdivision flags (🏴󠁧󠁢󠁳󠁣󠁴󠁿) are accepted, each as its own reaction. A skin-toned
 * thumbs up is a different reaction from a plain one, as the picture differs.
 *
 * A character that is an emoji only with its variation selector (❤ U+2764, ☺, ©) is
 * accepted without it and stored with it (❤️), so two keyboards' hearts are one reaction.
 * Anything else (text, two emojis, surrounding spaces, a lone regional indicator, a
 * digit) is BAD_USER_INPUT.
 *
 * Built with the RegExp constructor: the `v` flag (Node 20) postdates the compile target.
 */
const oneRgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');

const emojiPresentation = '\uFE0F';

/** The longest RGI emoji is 10 code points (a family or a kiss with skin tones); far below the column's 64. */
const maxLength = 32;

/**
 * Emojis already accepted, as they are stored. Matching `\p{RGI_Emoji}` costs about 4% of
 * the server's CPU under a load of addReaction (the react benchmark's profile), while
 * people use a few dozen emojis. Only accepted ones are kept, and there are about 3,800 RGI
 * emojis: the map cannot grow past that, however many strings are tried.
 */
const accepted = new Map<string, string>();

/** The emoji as stored, or BAD_USER_INPUT when it is not exactly one emoji. */
export function validateEmoji(raw: string): string {
  const known = accepted.get(raw);
  if (known !== undefined) return known;
  const stored = asStoredEmoji(raw);
  if (stored === null) throw userError(ErrorCode.BadUserInput, 'A reaction must be exactly one emoji.');
  accepted.set(raw, stored);
  return stored;
}

function asStoredEmoji(raw: string): string | null {
  if (raw.length > maxLength) return null;
  if (oneRgiEmoji.test(raw)) return raw;
  const presented = raw + emojiPresentation;
  return [...raw].length === 1 && oneRgiEmoji.test(presented) ? presented : null;
}
