import { createContext, useContext } from 'react';
import { createStore, useStore, type Store } from './store';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/**
 * The graphql-ws socket's state, fed by its `on` events (see ws-client.ts):
 * `epoch` counts the reconnections after the first connection, so a screen can
 * re-establish resumable subscriptions from its last cursors when it changes.
 */
export class ConnectionMonitor {
  readonly state: Store<ConnectionState> = createStore<ConnectionState>('connecting');
  readonly epoch: Store<number> = createStore(0);
  private everConnected = false;

  connected(): void {
    if (this.everConnected) this.epoch.set(this.epoch.get() + 1);
    this.everConnected = true;
    this.state.set('connected');
  }

  lost(): void {
    this.state.set(this.everConnected ? 'reconnecting' : 'connecting');
  }
}

export const ConnectionContext = createContext<ConnectionMonitor | null>(null);

function useMonitor(): ConnectionMonitor {
  const monitor = useContext(ConnectionContext);
  if (!monitor) throw new Error('useConnectionEpoch needs the signed-in app (ConnectionContext)');
  return monitor;
}

/** Increments each time the WebSocket reconnects after the first connection. */
export function useConnectionEpoch(): number {
  return useStore(useMonitor().epoch);
}

export function useConnectionState(): ConnectionState {
  return useStore(useMonitor().state);
}
