import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from './config';

/** The address a request's limits count against (rate limits per address, pending sockets). */
export type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * Builds the function that says which client address counts, once per process. Unless
 * TRUST_PROXY says otherwise, X-Forwarded-For is never read: any client can write it, so
 * believing it would let one client spread its requests over invented addresses. With
 * trusted proxies, proxy-addr walks X-Forwarded-For from the nearest hop and stops at the
 * first address that is not a trusted proxy. Used for HTTP requests and WebSocket upgrades.
 */
export function createClientAddressOf(trust: TrustProxy): ClientAddressOf {
  if (trust === false) return socketAddress;
  const trusted = 'hops' in trust ? (_addr: string, hop: number) => hop < trust.hops : proxyaddr.compile([...trust.addresses]);
  return (req) => (req.socket.remoteAddress ? proxyaddr(req, trusted) : 'unknown');
}

const socketAddress: ClientAddressOf = (req) => req.socket.remoteAddress ?? 'unknown';
