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

/** The emoji as stored, or BAD_USER_INPUT when it is not exactly one emoji. */
export function validateEmoji(raw: string): string {
  if (raw.length <= maxLength) {
    if (oneRgiEmoji.test(raw)) return raw;
    const presented = raw + emojiPresentation;
    if ([...raw].length === 1 && oneRgiEmoji.test(presented)) return presented;
  }
  throw userError(ErrorCode.BadUserInput, 'A reaction must be exactly one emoji.');
}
