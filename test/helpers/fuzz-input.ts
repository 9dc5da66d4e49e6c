import fc from 'fast-check';

/**
 * Hostile input for the fuzz tests: well-formed graphql-transport-ws frames and GraphQL
 * requests, then mutated the ways broken or malicious clients mutate them (wrong types,
 * huge ids and variables, unknown types, truncated JSON, binary, wrong order, duplicates).
 */

/** Documents a real client sends, the starting point for mutations. */
export const validDocuments = [
  'query { me { id username } }',
  'query Rooms { me { id } }',
  'query ($id: ID!) { node(id: $id) { id __typename } }',
  'query ($id: ID!) { room(id: $id) { id name messages(last: 5) { edges { cursor node { id body } } } } }',
  'query ($u: String!) { userByUsername(username: $u) { id username } }',
  'mutation ($name: String!) { createRoom(name: $name) { id name } }',
  'mutation ($roomId: ID!, $body: String!) { sendMessage(roomId: $roomId, body: $body) { id body } }',
  'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
  'mutation ($roomId: ID!) { setTyping(roomId: $roomId, isTyping: true) }',
  'subscription { messageAdded { id body } }',
  'subscription ($roomId: ID!) { typing(roomId: $roomId) { isTyping } }',
  'subscription ($roomId: ID) { roomEvents(roomId: $roomId) { __typename } }',
  '{ __schema { types { name } } }',
];

const hugeString = (length: number) => fc.constantFrom('a', '\u{1F469}', '"', '\\', '\u0000').map((c) => c.repeat(length));

/** Any JSON value, including deep and wide ones. */
const anyJson = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: hugeString(100_000) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }).map((depth) => nest(depth)) },
);

function nest(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** A GraphQL document: one a client sends, or one mangled. */
export const documentArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...validDocuments) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...validDocuments), fc.nat(), fc.string({ maxLength: 8 })).map(([doc, at, junk]) => spliced(doc, at, junk)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => `{ ${'me { '.repeat(n)}id${' }'.repeat(n)} }`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: anyJson },
);

function spliced(text: string, at: number, junk: string): string {
  const cut = at % (text.length + 1);
  return text.slice(0, cut) + junk + text.slice(cut + (at % 3));
}

const idArb = fc.oneof(
  fc.constantFrom('1', 'a', 'dup'),
  fc.uuid(),
  hugeString(70_000),
  fc.jsonValue({ maxDepth: 1 }),
);

const variablesArb = fc.oneof(
  fc.constant(undefined),
  fc.record({ id: fc.string(), roomId: fc.string(), body: fc.string(), name: fc.string(), u: fc.string(), p: fc.string() }, { requiredKeys: [] }),
  // Giant variables: under and over the 1 MiB frame bound.
  fc.constantFrom(200_000, 1_100_000).map((n) => ({ body: 'x'.repeat(n) })),
  anyJson,
);

export const tokenArb = (token: string) =>
  fc.oneof(fc.constant(token), fc.constant(`${token}x`), fc.string({ maxLength: 40 }), fc.constant(token.split('.').reverse().join('.')));

type Frame = { type?: unknown; id?: unknown; payload?: unknown; [key: string]: unknown };

/** The frames of the protocol, well formed. */
const validFrameArb = (token: string): fc.Arbitrary<Frame> =>
  fc.oneof(
    tokenArb(token).map((t) => ({ type: 'connection_init', payload: { token: t } })),
    fc.constant({ type: 'ping' }),
    fc.constant({ type: 'pong' }),
    fc.record({ type: fc.constant('subscribe'), id: idArb, payload: fc.record({ query: documentArb, variables: variablesArb }) }),
    fc.record({ type: fc.constant('complete'), id: idArb }),
  );

/** A frame after one mutation: a field given a wrong type, dropped, or an unknown type. */
const mutatedFrameArb = (token: string): fc.Arbitrary<Frame> =>
  fc
    .tuple(validFrameArb(token), fc.constantFrom('type', 'id', 'payload', 'extra'), fc.oneof(anyJson, fc.string({ maxLength: 12 })), fc.boolean())
    .map(([frame, key, value, drop]) => {
      const copy: Frame = { ...frame };
      if (drop) delete copy[key];
      else copy[key] = value;
      return copy;
    });

/** What goes on the wire: a JSON frame, truncated JSON, binary, or nothing like JSON. */
export type Wire = string | Buffer;

export const wireArb = (token: string): fc.Arbitrary<Wire> =>
  fc.oneof(
    { weight: 8, arbitrary: validFrameArb(token).map((f) => JSON.stringify(f)) },
    { weight: 3, arbitrary: mutatedFrameArb(token).map((f) => JSON.stringify(f) ?? 'null') },
    { weight: 1, arbitrary: fc.tuple(validFrameArb(token), fc.nat()).map(([f, n]) => JSON.stringify(f).slice(0, n % 40)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  );

/** Two subscribes under one id while the first is live: graphql-ws must close with 4409. */
const duplicateSubscribe = JSON.stringify({ type: 'subscribe', id: 'dup', payload: { query: 'subscription { messageAdded { id } }' } });

/** A socket's whole session: maybe a proper init first, then frames in any order (maybe a duplicate id among them). */
export const sessionArb = (token: string) =>
  fc
    .record({
      initFirst: fc.boolean(),
      frames: fc.array(wireArb(token), { minLength: 1, maxLength: 8 }),
      duplicateAt: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(8) }),
    })
    .map(({ initFirst, frames, duplicateAt }) => ({
      initFirst,
      frames: duplicateAt === null ? frames : [...frames.slice(0, duplicateAt), duplicateSubscribe, duplicateSubscribe, ...frames.slice(duplicateAt)],
    }));

/** An HTTP request to /graphql, as a client or an attacker might send it. */
export interface HttpCase {
  method: 'GET' | 'POST' | 'PUT';
  contentType: string | null;
  accept: string | null;
  authorization: string | null;
  /** POST/PUT body; for GET, the query string. */
  body: string | Buffer;
}

const jsonBodyArb = fc
  .record(
    { query: documentArb, variables: variablesArb, operationName: fc.oneof(fc.constant(undefined), fc.string(), anyJson), extensions: fc.oneof(fc.constant(undefined), anyJson) },
    { requiredKeys: ['query'] },
  )
  .chain((body) => fc.oneof(fc.constant(JSON.stringify(body)), fc.nat().map((n) => JSON.stringify(body).slice(0, n % 60)), fc.constant(JSON.stringify([body, body]))));

export const httpCaseArb = (token: string): fc.Arbitrary<HttpCase> =>
  fc.record({
    method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT'),
    contentType: fc.constantFrom(null, 'application/json', 'application/json', 'application/graphql+json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded'),
    accept: fc.constantFrom(null, 'application/json', 'application/graphql-response+json', 'text/event-stream', 'multipart/mixed', '*/*', 'text/html'),
    authorization: fc.oneof(fc.constant(null), tokenArb(token).map((t) => `Bearer ${t}`), fc.string({ maxLength: 30 })),
    body: fc.oneof(
      { weight: 6, arbitrary: jsonBodyArb },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify({ query: '{ me { id } }', variables: { x: 'y'.repeat(1_100_000) } })) },
    ),
  });
