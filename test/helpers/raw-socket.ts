import WebSocket from 'ws';
import { withTimeout } from './wait';

/** A graphql-transport-ws socket acknowledged by the server, and how it ends. */
export interface AcknowledgedSocket {
  /** Resolves when the server (or anyone) closes the socket. */
  readonly closed: Promise<{ code: number; reason: string }>;
  terminate(): void;
}

/** Opens a raw socket with `{ token }` and waits for `connection_ack` (fails on a close before it). */
export async function openAcknowledged(url: string, token: string): Promise<AcknowledgedSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
  const acknowledged = new Promise<void>((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
    socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve());
    socket.on('error', reject);
    void closed.then(({ code }) => reject(new Error(`closed with ${code} before connection_ack`)));
  });
  await withTimeout(acknowledged, 5000, 'connection_ack');
  return { closed, terminate: () => socket.terminate() };
}

/** How the server answers `connection_init` with this token: the close code, or 'ack'. */
export async function initOutcome(url: string, token: string): Promise<number | 'ack'> {
  try {
    const socket = await openAcknowledged(url, token);
    socket.terminate();
    return 'ack';
  } catch (err) {
    const match = /closed with (\d+)/.exec(String(err));
    if (!match) throw err;
    return Number(match[1]);
  }
}
