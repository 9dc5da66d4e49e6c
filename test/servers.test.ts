import { gql } from './helpers/http';
import { useServers } from './helpers/servers';

const servers = useServers();

/** `http://127.0.0.1:PORT/health` of the server that listens on `port`. */
function healthUrl(port: number): string {
  return `http://127.0.0.1:${port}/health`;
}

/** The attributes of every `<tag …>` opening tag in `html`, e.g. all `<script>` tags. */
function openingTags(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'gi'))].map((m) => m[0]);
}

/** The value of `attr` in one opening tag (quoted or not); null when absent. */
function attribute(tagText: string, attr: string): string | null {
  const match = new RegExp(`\\s${attr}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tagText);
  return match ? (match[1] ?? match[2] ?? match[3] ?? '') : null;
}

/** True when a URL would be fetched from another host: absolute http(s) or protocol-relative. */
function isRemote(url: string): boolean {
  return /^\s*(https?:)?\/\//i.test(url);
}

describe('health', () => {
  test('GET /health answers 200 on the API port', async () => {
    const response = await fetch(healthUrl(servers().apiPort));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('GET /health answers 200 on the WebSocket port', async () => {
    const response = await fetch(healthUrl(servers().wsPort));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('x-request-id', () => {
  const query = '{ __typename }';

  async function requestId(headers: Record<string, string> = {}): Promise<string | null> {
    const response = await fetch(servers().httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    return response.headers.get('x-request-id');
  }

  test('a POST /graphql response carries a generated x-request-id', async () => {
    const id = await requestId();
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    // Each request gets its own id.
    expect(await requestId()).not.toBe(id);
  });

  test('a well-formed incoming x-request-id is echoed back', async () => {
    expect(await requestId({ 'x-request-id': 'trace-abc.123:7' })).toBe('trace-abc.123:7');
  });

  test('a malformed incoming x-request-id is replaced by a well-formed one', async () => {
    for (const bad of ['has spaces and !', 'x'.repeat(65), '<script>']) {
      const id = await requestId({ 'x-request-id': bad });
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    }
  });

  test('an error response also carries x-request-id', async () => {
    const response = await fetch(servers().httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'err-req-1' },
      body: JSON.stringify({ query: '{ rooms { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('err-req-1');
    const json = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(json.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('GraphiQL', () => {
  let html = '';

  beforeAll(async () => {
    const response = await fetch(servers().httpUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    html = await response.text();
  });

  test('a browser GET /graphql gets the GraphiQL page', () => {
    expect(html).toMatch(/<html/i);
    expect(html).toContain('GraphiQL');
  });

  test('GraphiQL scripts are inline and load nothing from another host', () => {
    const scripts = openingTags(html, 'script');
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      const src = attribute(tag, 'src');
      if (src !== null) expect(isRemote(src)).toBe(false);
    }
    // The JavaScript itself is in the page: some inline script is large (GraphiQL's bundle).
    const inlineBodies = [...html.matchAll(/<script\b(?![^>]*\ssrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
    expect(Math.max(...inlineBodies.map((body) => body.length))).toBeGreaterThan(100_000);
  });

  test('GraphiQL stylesheets and links load nothing from another host', () => {
    for (const tag of openingTags(html, 'link')) {
      const href = attribute(tag, 'href');
      if (href !== null) expect(isRemote(href)).toBe(false);
    }
    const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]!);
    for (const css of styles) expect(css).not.toMatch(/@import\s+(url\()?\s*['"]?(https?:)?\/\//i);
  });

  test('a JSON POST to /graphql still gets JSON, not the page', async () => {
    const result = await gql(servers().httpUrl, '{ __typename }');
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ __typename: 'Query' });
  });
});
