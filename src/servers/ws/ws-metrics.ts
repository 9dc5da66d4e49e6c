import type { Context as ProtocolContext } from 'graphql-ws';
import type { WebSocketServer } from 'ws';
import type { Metrics } from '../../metrics';
import { isDirectSubscription } from './direct-subscriptions';

/** The graphql-ws state of a WebSocket server's acknowledged sockets (ws.ts adds and removes them). */
export type AcknowledgedSockets = Set<ProtocolContext<Record<string, unknown> | undefined, unknown>>;

/**
 * Counts a WebSocket server's open sockets and subscriptions at each scrape, not as they
 * come and go: nothing is added to a socket's or an operation's path. Returns the function
 * that stops counting them (the server stopped).
 */
export function watchSocketsOf(metrics: Metrics, wss: WebSocketServer, acknowledged: AcknowledgedSockets): () => void {
  return metrics.watchSockets({ connections: () => wss.clients.size, subscriptions: () => openSubscriptions(acknowledged) });
}

/**
 * Subscriptions in the sockets' graphql-ws registries: direct ones, and graphql-ws's own
 * (an async iterable once running; a query or mutation is never kept there, only `null`
 * while it is being prepared).
 */
function openSubscriptions(acknowledged: AcknowledgedSockets): { graphqlWs: number; direct: number } {
  let graphqlWs = 0;
  let direct = 0;
  for (const ctx of acknowledged) {
    for (const entry of Object.values(ctx.subscriptions)) {
      if (isDirectSubscription(entry)) direct++;
      else if (entry) graphqlWs++;
    }
  }
  return { graphqlWs, direct };
}
