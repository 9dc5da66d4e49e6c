import fc from 'fast-check';
import { jsonText } from '../src/json-text';

/** JSON-like values with dates (valid and invalid), undefined, nested arrays and objects, as payloads hold them. */
const payload = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date(),
    fc.constant(new Date(Number.NaN)),
    fc.array(tie('value')),
    fc.dictionary(fc.string(), tie('value')),
  ),
})).value;

describe('jsonText', () => {
  it('gives the text JSON.stringify gives, for any JSON-like payload with dates', () => {
    fc.assert(fc.property(payload, (value) => expect(jsonText(value)).toBe(JSON.stringify(value))));
  });

  it('gives the same text for a room event whose reactions repeat the same users and dates', () => {
    const createdAt = new Date('2026-12-03T07:30:00.123Z');
    const alice = { id: 'a', username: 'alice', createdAt };
    const event = {
      kind: 'REACTIONS_CHANGED',
      seq: 7,
      message: { id: 'm', createdAt, editedAt: null, author: alice, reactions: ['👍', '🎉'].map((emoji) => ({ emoji, users: [alice, alice] })) },
    };
    expect(jsonText(event)).toBe(JSON.stringify(event));
    expect(JSON.parse(jsonText(event)).message.reactions[1].users[1].createdAt).toBe('2026-12-03T07:30:00.123Z');
  });

  it('leaves boxed primitives and objects with their own toJSON to JSON.stringify', () => {
    const value = { n: Object(5), s: Object('x'), custom: { toJSON: () => ({ at: new Date(0) }) }, list: [Object(true)] };
    expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it('keeps an own "__proto__" key as data', () => {
    const value = JSON.parse('{"__proto__": {"at": 1}, "b": 2}') as unknown;
    expect(jsonText(value)).toBe('{"__proto__":{"at":1},"b":2}');
  });
});
