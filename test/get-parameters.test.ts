import { useServers } from './helpers/servers';

/**
 * A GET whose `variables` or `extensions` parameter is not JSON is the client's mistake:
 * 400 BAD_REQUEST, as for a POST body that is not JSON. Found by test/fuzz-servers.test.ts
 * (Yoga's bare JSON.parse made it a masked 500 and an error log line).
 */
const servers = useServers();

async function getWith(parameters: Record<string, string>): Promise<{ status: number; code: unknown }> {
  const url = `${servers().httpUrl}?${new URLSearchParams(parameters).toString()}`;
  const response = await fetch(url, { headers: { accept: 'application/graphql-response+json' } });
  const body = (await response.json()) as { errors?: { extensions?: { code?: unknown } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code };
}

test.each([
  ['variables', '{"x":"yy'],
  ['variables', '{"x":1}%'],
  ['extensions', '{persistedQuery'],
])('a GET with %s that is not JSON (%s) answers 400 BAD_REQUEST', async (name, value) => {
  expect(await getWith({ query: '{ __typename }', [name]: value })).toEqual({ status: 400, code: 'BAD_REQUEST' });
});

test('a GET with JSON variables still runs', async () => {
  expect(await getWith({ query: 'query ($x: Boolean!) { __typename @include(if: $x) }', variables: '{"x":true}' })).toEqual({ status: 200, code: undefined });
});
