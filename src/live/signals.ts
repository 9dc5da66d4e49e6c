import type { EventStream } from './event-stream';
import type { EventBus } from './pubsub';

/**
 * Signals are the second kind of stream (typing now; presence and read-marker moves next):
 * published and never logged, so there is no position, no gap to read and nothing to
 * resume. A signal lost while Redis is down is simply lost; what must last (a read marker,
 * a last-seen time) is stored as state by its resolver and read back by queries. Room
 * events, which are logged, go through room channels instead (room-channels.ts).
 */
export async function followSignal<T>(bus: EventBus, stream: EventStream<T>, topic: string, onSignal: (payload: unknown) => void): Promise<void> {
  const stop = await bus.listen(topic, onSignal);
  stream.onEnd(stop);
}
