import type { OperationResult, OperationResultSource } from 'urql';

/**
 * urql's `source.subscribe(onResult)` reports results but not the end of the stream, and the
 * API ends a `roomEvents` it can no longer follow (docs/api-rules.md: "the client resubscribes
 * with the cursor of the last event it received"). urql's sources are Wonka sources; this is
 * Wonka's own `subscribe` sink (wonka/src/sinks.ts) plus an `onEnd`, written out so the app
 * needs no direct dependency on Wonka for twenty lines.
 *
 * Wonka's protocol: a source calls the sink with Start `{ tag: 0, 0: talkback }`, Push
 * `{ tag: 1, 0: value }` or End `0`; the sink pulls with `talkback(0)` and closes with `talkback(1)`.
 */
type Talkback = (signal: 0 | 1) => void;
type Signal<T> = 0 | { tag: 0; 0: Talkback } | { tag: 1; 0: T };

export function follow<T extends OperationResult>(source: OperationResultSource<T>, onValue: (value: T) => void, onEnd: () => void): () => void {
  let talkback: Talkback = () => {};
  let ended = false;
  source((signal: Signal<T>) => {
    if (signal === 0) {
      if (!ended) {
        ended = true;
        onEnd();
      }
    } else if (signal.tag === 0) {
      talkback = signal[0];
      talkback(0);
    } else if (!ended) {
      onValue(signal[0]);
      talkback(0);
    }
  });
  return () => {
    if (ended) return;
    ended = true; // closed by us: not an end to react to
    talkback(1);
  };
}
