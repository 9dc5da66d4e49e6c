import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import fresh from 'fresh';
import Negotiator from 'negotiator';
import type { Logger } from '../../logger';
import { createGraphiQLRenderer, graphiqlOptions } from './graphiql';

type Encoding = 'br' | 'gzip' | 'identity';

/** One stored form of the page: its bytes, already compressed, and its own ETag. */
interface Variant {
  readonly encoding: Encoding;
  readonly body: Buffer;
  readonly etag: string;
}

/** Best first when the client accepts several equally. */
const encodings: Encoding[] = ['br', 'gzip', 'identity'];

/**
 * Levels measured on the 9 MB page (2 cores): gzip 6 takes 0.6 s for 2.44 MB (9: 1.1 s,
 * 2.43 MB); brotli 5 takes 1.2 s for 1.95 MB (9: 4.3 s, 1.86 MB; 11: 31 s, 1.71 MB).
 */
const gzipLevel = 6;
const brotliQuality = 5;

/** Yoga's rule for a browser asking for GraphiQL (graphql-yoga's shouldRenderGraphiQL), on our endpoint. */
export function isGraphiQLRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' || !req.headers.accept?.includes('text/html')) return false;
  const path = (req.url ?? '/').split('?')[0];
  return path === '/graphql' || path === '/graphql/';
}

/**
 * Serves GraphiQL (~9 MB of inline JavaScript) as cheaply as a static file: rendered once,
 * at the first request, and compressed then (zlib runs on libuv's threads, so requests keep
 * being served meanwhile; startup, including every test server, does not pay for it); each
 * request writes a stored Buffer: brotli, gzip or plain per `accept-encoding`, with an
 * ETag, and a 304 to a browser that already has it.
 *
 * A request never waits for brotli while gzip is ready: it gets the best form made so far
 * that it accepts, waiting only until the first compressed one it accepts is ready (gzip
 * takes half brotli's time). On a loaded machine brotli alone took over 5 s, and the first
 * visitor waited for both.
 */
export function createGraphiQLPage(log: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  let page: PreparedPage | null = null;
  return (req, res) => {
    page ??= preparePage(createGraphiQLRenderer()(graphiqlOptions), log);
    page.variantFor(req).then((variant) => sendVariant(req, res, variant));
  };
}

/** The page in each encoding: plain at once, the compressed forms as they are made. */
interface PreparedPage {
  variantFor(req: IncomingMessage): Promise<Variant>;
}

function preparePage(html: string, log: Logger): PreparedPage {
  const plain = Buffer.from(html, 'utf8');
  const hash = createHash('sha256').update(plain).digest('base64url').slice(0, 27);
  // Each encoding is its own representation, so its own strong ETag (RFC 9110, 8.8.3).
  const variant = (encoding: Encoding, body: Buffer): Variant => ({ encoding, body, etag: `"${hash}-${encoding}"` });
  const ready = new Map<Encoding, Variant>([['identity', variant('identity', plain)]]);
  const pending = new Map<Encoding, Promise<void>>();
  const compress = (encoding: Exclude<Encoding, 'identity'>, made: Promise<Buffer>) => {
    const done = made.then(
      (body) => void ready.set(encoding, variant(encoding, body)),
      // The other forms still serve; this one is not offered again until a restart.
      (err: unknown) => log.error({ err, encoding }, 'could not compress the GraphiQL page'),
    );
    pending.set(encoding, done.finally(() => pending.delete(encoding)));
  };
  compress('br', promisify(brotliCompress)(plain, {
    params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length },
  }));
  compress('gzip', promisify(gzip)(plain, { level: gzipLevel }));
  return {
    async variantFor(req) {
      if (preferredEncoding(req, [...ready.keys()]) === 'identity') {
        const accepted = [...pending.keys()].filter((encoding) => preferredEncoding(req, [encoding, 'identity']) === encoding);
        if (accepted.length > 0) await Promise.race(accepted.map((encoding) => pending.get(encoding)));
      }
      return ready.get(preferredEncoding(req, [...ready.keys()]))!;
    },
  };
}

/** The client's choice among `available` (server's order on ties); plain when it refuses them all. */
function preferredEncoding(req: IncomingMessage, available: Encoding[]): Encoding {
  // negotiator 1.x takes the server's preference for ties; @types/negotiator predates it.
  const negotiator = new Negotiator(req) as Negotiator & { encoding(available: Encoding[], options: { preferred: Encoding[] }): Encoding | undefined };
  const offered = encodings.filter((encoding) => available.includes(encoding));
  // A client refusing every encoding (even identity) still gets the plain page.
  return negotiator.encoding(offered, { preferred: offered }) ?? 'identity';
}

function sendVariant(req: IncomingMessage, res: ServerResponse, variant: Variant): void {
  const headers: Record<string, string | number> = {
    etag: variant.etag,
    // Cached, but checked on each visit: a new version shows at once, an unchanged one costs a 304.
    'cache-control': 'no-cache',
    vary: 'Accept-Encoding',
  };
  if (fresh(req.headers, { etag: variant.etag })) return void res.writeHead(304, headers).end();
  if (variant.encoding !== 'identity') headers['content-encoding'] = variant.encoding;
  headers['content-type'] = 'text/html; charset=utf-8';
  headers['content-length'] = variant.body.length;
  res.writeHead(200, headers).end(variant.body);
}
