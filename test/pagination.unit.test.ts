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
  test.each([0, 1, 42, 999_999_999_999_999])('encodeCursor(%d) decodes back to the same sequence number', (seq) => {
    expect(decodeCursor(encodeCursor(seq))).toBe(seq);
  });

  test('cursors are opaque url-safe strings, not the bare number', () => {
    const cursor = encodeCursor(123);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('123');
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
  ])('decodeCursor rejects %s with BAD_USER_INPUT', (_name, cursor) => {
    expect(codeThrownBy(() => decodeCursor(cursor))).toBe('BAD_USER_INPUT');
  });
});

describe('toPageRequest', () => {
  test('no arguments asks for the newest default-size page', () => {
    expect(toPageRequest({}, limits)).toEqual({ direction: 'backward', size: 50, afterSeq: null, beforeSeq: null });
  });

  test('null arguments count as absent, as GraphQL clients send them', () => {
    const args: PageArgs = { first: null, after: null, last: null, before: null };
    expect(toPageRequest(args, limits)).toEqual(toPageRequest({}, limits));
  });

  test('first/after reads forward after the cursor', () => {
    expect(toPageRequest({ first: 40, after: encodeCursor(7) }, limits)).toEqual({
      direction: 'forward',
      size: 40,
      afterSeq: 7,
      beforeSeq: null,
    });
  });

  test('last/before reads backward before the cursor', () => {
    expect(toPageRequest({ last: 40, before: encodeCursor(9) }, limits)).toEqual({
      direction: 'backward',
      size: 40,
      afterSeq: null,
      beforeSeq: 9,
    });
  });

  test('after alone reads forward a default-size page', () => {
    expect(toPageRequest({ after: encodeCursor(3) }, limits)).toMatchObject({ direction: 'forward', size: 50, afterSeq: 3 });
  });

  test('before alone reads backward a default-size page', () => {
    expect(toPageRequest({ before: encodeCursor(3) }, limits)).toMatchObject({ direction: 'backward', size: 50, beforeSeq: 3 });
  });

  test('after with before and no size reads the newest default-size page of that range', () => {
    expect(toPageRequest({ after: encodeCursor(2), before: encodeCursor(90) }, limits)).toEqual({
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
    expect(toPageRequest(args, limits).size).toBe(size);
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
    expect(codeThrownBy(() => toPageRequest(args, limits))).toBe('BAD_USER_INPUT');
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
