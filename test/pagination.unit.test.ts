import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, toPageRequest, type PageArgs } from '../src/resolvers/pagination';
import { characterCount } from '../src/resolvers/text';
import {
  validateBody,
  validatePassword,
  validateRoomName,
  validateUsername,
} from '../src/resolvers/validation';

const limits = { defaultSize: 50, maxSize: 100 };
const roomId = '0190a5a4-1c2b-7d3e-8f40-5a6b7c8d9e0f';
const otherRoomId = '0190a5a4-1c2b-7d3e-8f40-000000000001';

/** The `extensions.code` a pure helper throws (undefined when it does not throw a GraphQLError). */
function codeThrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return undefined;
}

describe('cursors', () => {
  test.each([0, 1, 42, 999_999_999_999_999, Number.MAX_SAFE_INTEGER])('encodeCursor(room, %d) decodes back to the same position', (seq) => {
    expect(decodeCursor(encodeCursor(roomId, seq), roomId)).toBe(seq);
  });

  test('cursors are opaque url-safe strings, not the bare number', () => {
    const cursor = encodeCursor(roomId, 123);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('123');
  });

  test("a cursor of another room is refused with BAD_USER_INPUT (and accepted where the room is not known)", () => {
    expect(codeThrownBy(() => decodeCursor(encodeCursor(otherRoomId, 5), roomId))).toBe('BAD_USER_INPUT');
    expect(decodeCursor(encodeCursor(otherRoomId, 5), null)).toBe(5);
  });

  test('cursors handed out before they named their room still decode, for any room', () => {
    expect(decodeCursor(Buffer.from('m42').toString('base64url'), roomId)).toBe(42);
  });

  test.each([
    ['an empty string', ''],
    ['"abc"', 'abc'],
    ['base64 of junk', Buffer.from('not a cursor').toString('base64')],
    ['base64 of a negative number', Buffer.from('m-1').toString('base64url')],
    ['base64 of a number with 16 digits', Buffer.from(`m${'9'.repeat(16)}`).toString('base64url')],
    ['base64 of the prefix alone', Buffer.from('m').toString('base64url')],
    ['base64 with trailing text', Buffer.from('m12 ').toString('base64url')],
    ['an overlong string', 'A'.repeat(1000)],
    ['a new-format cursor with an unknown version', Buffer.alloc(25, 2).toString('base64url')],
  ])('decodeCursor rejects %s with BAD_USER_INPUT', (_name, cursor) => {
    expect(codeThrownBy(() => decodeCursor(cursor, roomId))).toBe('BAD_USER_INPUT');
  });
});

describe('toPageRequest', () => {
  test('no arguments asks for the newest default-size page', () => {
    expect(toPageRequest({}, limits, roomId)).toEqual({ direction: 'backward', size: 50, afterSeq: null, beforeSeq: null });
  });

  test('null arguments count as absent, as GraphQL clients send them', () => {
    const args: PageArgs = { first: null, after: null, last: null, before: null };
    expect(toPageRequest(args, limits, roomId)).toEqual(toPageRequest({}, limits, roomId));
  });

  test('first/after reads forward after the cursor', () => {
    expect(toPageRequest({ first: 40, after: encodeCursor(roomId, 7) }, limits, roomId)).toEqual({
      direction: 'forward',
      size: 40,
      afterSeq: 7,
      beforeSeq: null,
    });
  });

  test('last/before reads backward before the cursor', () => {
    expect(toPageRequest({ last: 40, before: encodeCursor(roomId, 9) }, limits, roomId)).toEqual({
      direction: 'backward',
      size: 40,
      afterSeq: null,
      beforeSeq: 9,
    });
  });

  test('after alone reads forward a default-size page', () => {
    expect(toPageRequest({ after: encodeCursor(roomId, 3) }, limits, roomId)).toMatchObject({ direction: 'forward', size: 50, afterSeq: 3 });
  });

  test('before alone reads backward a default-size page', () => {
    expect(toPageRequest({ before: encodeCursor(roomId, 3) }, limits, roomId)).toMatchObject({ direction: 'backward', size: 50, beforeSeq: 3 });
  });

  test('after with before and no size reads the newest default-size page of that range', () => {
    expect(toPageRequest({ after: encodeCursor(roomId, 2), before: encodeCursor(roomId, 90) }, limits, roomId)).toEqual({
      direction: 'backward',
      size: 50,
      afterSeq: 2,
      beforeSeq: 90,
    });
  });

  test.each<[string, PageArgs, number]>([
    ['first: 100', { first: 100 }, 100],
    ['last: 100', { last: 100 }, 100],
    ['first: 0', { first: 0 }, 0],
    ['last: 1', { last: 1 }, 1],
  ])('%s is a valid page size', (_name, args, size) => {
    expect(toPageRequest(args, limits, roomId).size).toBe(size);
  });

  test.each<[string, PageArgs]>([
    ['first with last', { first: 10, last: 10 }],
    ['first: 0 with last: 0', { first: 0, last: 0 }],
    ['first: 101', { first: 101 }],
    ['last: 101', { last: 101 }],
    ['first: -1', { first: -1 }],
    ['last: -1', { last: -1 }],
    ['a fractional first', { first: 1.5 }],
    ['a malformed after', { first: 10, after: 'abc' }],
    ['a malformed before', { last: 10, before: 'abc' }],
  ])('%s is rejected with BAD_USER_INPUT', (_name, args) => {
    expect(codeThrownBy(() => toPageRequest(args, limits, roomId))).toBe('BAD_USER_INPUT');
  });
});

describe('characterCount', () => {
  test.each([
    ['', 0],
    ['abc', 3],
    ['\u{1F600}', 1], // one code point, two UTF-16 units
    ['\u{1F600}'.repeat(4000), 4000],
    ['é', 1],
  ])('characterCount(%j) is %d', (text, count) => {
    expect(characterCount(text)).toBe(count);
  });
});

describe('validateBody', () => {
  test('returns the body trimmed', () => {
    expect(validateBody('  hi  ')).toBe('hi');
    expect(validateBody('\n\tline one\nline two \n')).toBe('line one\nline two');
  });

  test.each([
    ['4000 characters', 'x'.repeat(4000)],
    ['4000 emoji', '\u{1F600}'.repeat(4000)],
    ['4000 characters plus surrounding spaces', ` ${'x'.repeat(4000)} `],
    ['one character', 'a'],
  ])('accepts %s', (_name, body) => {
    expect(validateBody(body)).toBe(body.trim());
  });

  test.each([
    ['an empty body', ''],
    ['spaces only', '   '],
    ['whitespace of every kind only', ' \n\t\r '],
    ['4001 characters', 'x'.repeat(4001)],
    ['4001 emoji', '\u{1F600}'.repeat(4001)],
  ])('rejects %s with BAD_USER_INPUT', (_name, body) => {
    expect(codeThrownBy(() => validateBody(body))).toBe('BAD_USER_INPUT');
  });
});

describe('validateUsername, validatePassword, validateRoomName', () => {
  test.each(['abc', 'a'.repeat(32), 'Alice_1.b-c'])('username %j is accepted', (name) => {
    expect(validateUsername(name)).toBe(name);
  });

  test.each(['ab', 'a'.repeat(33), 'has space', 'émile', 'semi;colon', ''])('username %j is rejected', (name) => {
    expect(codeThrownBy(() => validateUsername(name))).toBe('BAD_USER_INPUT');
  });

  test('passwords are 8–128 characters, counted as code points', () => {
    expect(validatePassword('12345678')).toBe('12345678');
    expect(validatePassword('\u{1F600}'.repeat(128))).toBe('\u{1F600}'.repeat(128));
    expect(codeThrownBy(() => validatePassword('1234567'))).toBe('BAD_USER_INPUT');
    expect(codeThrownBy(() => validatePassword('p'.repeat(129)))).toBe('BAD_USER_INPUT');
  });

  test('room names are trimmed and must keep 1–100 characters', () => {
    expect(validateRoomName('  general  ')).toBe('general');
    expect(validateRoomName('r'.repeat(100))).toBe('r'.repeat(100));
    expect(codeThrownBy(() => validateRoomName('   '))).toBe('BAD_USER_INPUT');
    expect(codeThrownBy(() => validateRoomName('r'.repeat(101)))).toBe('BAD_USER_INPUT');
  });
});
