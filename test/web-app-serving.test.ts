import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { createWebApp } from '../src/servers/http/web-app';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { useServers, type TestServers } from './helpers/servers';

/** The API server's origin (http://127.0.0.1:<port>), where the web app is served. */
function originOf(servers: TestServers): string {
  return servers.httpUrl.replace(/\/graphql$/, '');
}

describe('the web app served by the API server', () => {
  // As `npm start` does (Vite, a few seconds; skipped when web/dist is newer than its sources).
  // In a child process: Vite is ESM only, and jest's module sandbox cannot load it.
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/build.ts', '--web'], { cwd: join(__dirname, '..') });
  }, 120_000);
  const servers = useServers();

  it('serves index.html at / with the hashed assets it names, cached for a year', async () => {
    const origin = originOf(servers());
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<div id="root"></div>');
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const asset = await fetch(`${origin}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // The precompressed copy the build wrote (fetch decodes it).
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect((await asset.text()).length).toBeGreaterThan(10_000);

    const etag = asset.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${origin}${script}`, { headers: { 'if-none-match': etag!, 'accept-encoding': 'br' } });
    expect(again.status).toBe(304);
  });

  it('keeps the JavaScript of the first screen within 150 KB gzipped (issue 12)', async () => {
    const origin = originOf(servers());
    const html = await (await fetch(`${origin}/`)).text();
    const scripts = [...html.matchAll(/<(?:script|link rel="modulepreload")[^>]+(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const script of scripts) {
      const response = await fetch(`${origin}${script}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.headers.get('content-encoding')).toBe('gzip');
      gzipped += gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length;
    }
    process.stdout.write(`web app: first screen JavaScript ${(gzipped / 1024).toFixed(1)} KB gzipped (${scripts.length} file(s))\n`);
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
  });

  it('answers HEAD like GET without a body, and unknown paths with a 404', async () => {
    const origin = originOf(servers());
    const head = await fetch(`${origin}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${origin}/assets/nothing-here.js`)).status).toBe(404);
    // The build's marker (scripts/build-web.ts) is a dotfile: never served.
    expect((await fetch(`${origin}/.built`)).status).toBe(404);
  });

  it('tells the app the WebSocket URL: the host it used, with the WebSocket port', async () => {
    const s = servers();
    const response = await fetch(`${originOf(s)}/app-config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Tests start on port 0, so the configured port (SERVER_PORT's default) is not the bound one.
    expect(await response.json()).toEqual({ wsUrl: `ws://127.0.0.1:${s.deps.config.wsPort}/graphql` });
  });

  it('keeps /graphql for GraphQL over POST and GraphiQL in a browser, and /health', async () => {
    const s = servers();
    const post = await fetch(s.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
    const graphiql = await fetch(s.httpUrl, { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toMatch(/graphiql/i);
    expect((await fetch(`${originOf(s)}/health`)).status).toBe(200);
  });
});

describe('PUBLIC_WS_URL', () => {
  const servers = useServers({ PUBLIC_WS_URL: 'wss://chat.example.com/live' });

  it('is what /app-config.json says, whatever the Host header', async () => {
    const response = await fetch(`${originOf(servers())}/app-config.json`);
    expect(await response.json()).toEqual({ wsUrl: 'wss://chat.example.com/live' });
  });

  it('must be a ws:// or wss:// URL', () => {
    expect(() => loadConfig({ PUBLIC_WS_URL: 'https://chat.example.com/graphql' })).toThrow(/PUBLIC_WS_URL/);
    expect(loadConfig({ PUBLIC_WS_URL: 'ws://localhost:9000/graphql' }).publicWsUrl).toBe('ws://localhost:9000/graphql');
  });
});

describe('without a build (web/dist missing)', () => {
  let dir: string;
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-dist-missing-'));
    const webApp = createWebApp({ wsPort: 8080 }, join(dir, 'dist'));
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (webApp.handles(req, path)) return webApp.serve(req, res, path, () => res.writeHead(404).end('next'));
      res.writeHead(405).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers / with how to build the app, and still serves /app-config.json', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(404);
    expect(await page.text()).toMatch(/npm start/);
    // fetch may not set Host: node:http can, as a browser on another name would.
    expect(JSON.parse(await getWithHost(`${origin}/app-config.json`, 'chat.local:8081'))).toEqual({
      wsUrl: 'ws://chat.local:8080/graphql',
    });
    expect(await (await fetch(`${origin}/assets/x.js`)).text()).toBe('next');
  });
});

function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
