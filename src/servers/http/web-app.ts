import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import sirv from 'sirv';
import type { Config } from '../../config';

/** Paths the API server answers itself: never the web app's, whatever is in web/dist. */
const serverPaths = new Set(['/graphql', '/graphql/', '/health', '/ready', '/metrics']);

/** The repository's web/dist (built by scripts/build.ts), from src/servers or from dist/src/servers. */
export function defaultWebDistDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'web', 'dist');
}

export interface WebApp {
  /** Whether this request is the web app's: a GET or HEAD of any path but the server's own. */
  handles(req: IncomingMessage, path: string): boolean;
  /** Answers it, or calls `next` when no file matches (the API server's 404). */
  serve(req: IncomingMessage, res: ServerResponse, path: string, next: () => void): void;
}

/**
 * The web app (web/, issue 12) from the API server, same origin as /graphql:
 * - `/app-config.json`: `{ wsUrl }`, the graphql-ws URL (PUBLIC_WS_URL, else the request's
 *   host with the WebSocket port), read per request.
 * - every other GET/HEAD: sirv over web/dist: `index.html` at `/` (revalidated: no-cache),
 *   Vite's content-hashed `/assets/*` cached for a year (immutable), the `.br`/`.gz` files
 *   the build writes beside them sent to browsers that accept them, ETags and 304s.
 * - web/dist missing (not built, e.g. in tests): `/` says how to build it; nothing crashes,
 *   and the app is picked up as soon as a build writes it.
 */
export function createWebApp(config: Pick<Config, 'publicWsUrl' | 'wsPort'>, distDir = defaultWebDistDir()): WebApp {
  let files: ReturnType<typeof sirv> | null = null;
  const staticFiles = () => {
    if (!files && existsSync(join(distDir, 'index.html'))) files = createStaticHandler(distDir);
    return files;
  };
  return {
    handles: (req, path) => (req.method === 'GET' || req.method === 'HEAD') && !serverPaths.has(path),
    serve(req, res, path, next) {
      if (path === '/app-config.json') return sendAppConfig(req, res, config);
      const handler = staticFiles();
      if (handler) return handler(req, res, next);
      if (path === '/' || path === '/index.html') return sendNotBuilt(res);
      next();
    },
  };
}

function createStaticHandler(distDir: string) {
  return sirv(distDir, {
    dev: false,
    etag: true,
    gzip: true,
    brotli: true,
    single: false,
    setHeaders(res, pathname) {
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      if (pathname.startsWith('/assets/')) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      } else {
        // index.html names the hashed assets: a browser asks again (a 304 when unchanged).
        res.setHeader('cache-control', 'no-cache');
        // No inline script or style in the build; the WebSocket may be on another port or host.
        res.setHeader(
          'content-security-policy',
          "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        );
      }
    },
  });
}

/** PUBLIC_WS_URL, else `ws://<the host the browser used>:<WebSocket port>/graphql`. */
export function webSocketUrlFor(req: IncomingMessage, config: Pick<Config, 'publicWsUrl' | 'wsPort'>): string {
  if (config.publicWsUrl) return config.publicWsUrl;
  return `ws://${hostnameOf(req.headers.host)}:${config.wsPort}/graphql`;
}

/** The Host header without its port (`[::1]:8081` -> `[::1]`); the loopback name when absent or malformed. */
function hostnameOf(host: string | undefined): string {
  const match = host ? /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d+)?$/.exec(host.trim()) : null;
  return match ? match[1] : 'localhost';
}

function sendAppConfig(req: IncomingMessage, res: ServerResponse, config: Pick<Config, 'publicWsUrl' | 'wsPort'>): void {
  const body = JSON.stringify({ wsUrl: webSocketUrlFor(req, config) });
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    // It depends on the Host header, and PUBLIC_WS_URL may change with a restart.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendNotBuilt(res: ServerResponse): void {
  const body =
    'The web app is not built: run `npm start` (it builds web/ with Vite), or build it alone with `npx tsx scripts/build.ts --web`.\n' +
    'The GraphQL API is at /graphql (GraphiQL in a browser).\n';
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
