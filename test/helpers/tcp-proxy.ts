import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that a test controls, in front of a real server (PostgreSQL):
 * `pause()` makes the server look gone (nothing listens, every open connection is cut),
 * `resume()` brings it back on the same port, so clients configured with the proxy's
 * port reconnect without being told anything.
 */
export interface TcpProxy {
  readonly port: number;
  /** Open client connections (each piped to its own upstream connection). */
  readonly openConnections: number;
  /** Stops accepting and destroys every open connection pair; resolves once nothing listens. */
  pause(): Promise<void>;
  /**
   * The server goes silent, as behind a network partition: every connection stays open
   * but no byte passes either way, and new connections are accepted and left hanging.
   * `pause()` or `close()` ends it (the silent connections are cut).
   */
  stall(): void;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  /** Pauses for good. */
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const hanging = new Set<Socket>();
  let stalled = false;
  const server: Server = createServer((client) => {
    if (stalled) {
      hanging.add(client);
      client.on('error', () => client.destroy()).on('close', () => hanging.delete(client));
      return;
    }
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // Either side ending or failing ends both, as a dropped network path would.
    const cut = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on('error', cut);
      socket.on('close', cut);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  const pause = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [client, upstream] of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    for (const client of [...hanging]) client.destroy();
    stalled = false;
    await closed;
  };
  const stall = () => {
    stalled = true;
    for (const [client, upstream] of pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  };
  return {
    port,
    get openConnections() {
      return pairs.size;
    },
    pause,
    stall,
    resume: async () => {
      if (!server.listening) await listen(port);
    },
    close: pause,
  };
}

/**
 * A proxy in front of the PostgreSQL server of `serverUrl`, and `databaseUrl` rewritten to
 * reach its database through the proxy: servers configured with `url` lose (pause) or stop
 * hearing from (stall) their database when the test says so.
 */
export async function proxyDatabase(serverUrl: string, databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(serverUrl);
  const proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
  const viaProxy = new URL(databaseUrl);
  viaProxy.port = String(proxy.port);
  return { proxy, url: viaProxy.toString() };
}
