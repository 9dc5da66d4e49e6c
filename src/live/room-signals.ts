import type { EventStream } from './event-stream';
import type { EventBus } from './pubsub';

/**
 * One subscription's signal topics, one per room it follows (read markers of every room
 * of a user): rooms are followed and dropped as the user joins and leaves, and every
 * listener stops with the stream. Signals have no log (signals.ts): a room's signals start
 * when its topic is live.
 */
export class RoomSignals<T> {
  private readonly stops = new Map<string, Promise<() => void>>();

  constructor(
    private readonly bus: EventBus,
    private readonly stream: EventStream<T>,
    private readonly topicOf: (roomId: string) => string,
    private readonly onSignal: (payload: unknown) => void,
  ) {
    stream.onEnd(() => [...this.stops.keys()].forEach((roomId) => this.unfollow(roomId)));
  }

  /** Resolves when the room's topic is live (at once when already followed). */
  follow(roomId: string): Promise<unknown> {
    if (this.stream.isEnded) return Promise.resolve();
    let stop = this.stops.get(roomId);
    if (!stop) {
      stop = this.bus.listen(this.topicOf(roomId), this.onSignal).catch((err: unknown) => {
        // A room this subscription cannot follow: end it, so the client resubscribes.
        this.stream.end();
        throw err;
      });
      this.stops.set(roomId, stop);
    }
    return stop;
  }

  unfollow(roomId: string): void {
    const stop = this.stops.get(roomId);
    this.stops.delete(roomId);
    void stop?.then((release) => release(), () => undefined);
  }
}
