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
 * Serves GraphiQL (~9 MB of inline JavaScript) as cheaply as a static file: rendered and
 * compressed once, at the first request (zlib runs on libuv's threads, so requests keep
 * being served meanwhile; startup, including every test server, does not pay for it), then
 * each request writes a stored Buffer: brotli, gzip or plain per `accept-encoding`, with an
 * ETag, and a 304 to a browser that already has it.
 */
export function createGraphiQLPage(log: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  let variants: Promise<Map<Encoding, Variant>> | null = null;
  return (req, res) => {
    variants ??= compressPage(createGraphiQLRenderer()(graphiqlOptions));
    variants.then(
      (all) => sendVariant(req, res, all.get(preferredEncoding(req))!),
      (err: unknown) => {
        variants = null;
        log.error({ err }, 'could not prepare the GraphiQL page');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('GraphiQL is unavailable.\n');
      },
    );
  };
}

async function compressPage(html: string): Promise<Map<Encoding, Variant>> {
  const plain = Buffer.from(html, 'utf8');
  const hash = createHash('sha256').update(plain).digest('base64url').slice(0, 27);
  const [br, gz] = await Promise.all([
    promisify(brotliCompress)(plain, {
      params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length },
    }),
    promisify(gzip)(plain, { level: gzipLevel }),
  ]);
  // Each encoding is its own representation, so its own strong ETag (RFC 9110, 8.8.3).
  const variant = (encoding: Encoding, body: Buffer): [Encoding, Variant] => [encoding, { encoding, body, etag: `"${hash}-${encoding}"` }];
  return new Map([variant('br', br), variant('gzip', gz), variant('identity', plain)]);
}

function preferredEncoding(req: IncomingMessage): Encoding {
  // negotiator 1.x takes the server's preference for ties; @types/negotiator predates it.
  const negotiator = new Negotiator(req) as Negotiator & { encoding(available: Encoding[], options: { preferred: Encoding[] }): Encoding | undefined };
  // A client refusing every encoding (even identity) still gets the plain page.
  return negotiator.encoding(encodings, { preferred: encodings }) ?? 'identity';
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
