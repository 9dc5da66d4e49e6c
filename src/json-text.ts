/**
 * The text `JSON.stringify` gives, made faster for what the service serializes: payloads
 * whose dates are `Date` objects. V8 (Node 20) leaves its fast serializer for a JS call to
 * `toJSON` at every date: a room event with 20 reactions holds about 23 of them, mostly the
 * same few users' `createdAt` over and over, and took 58-64 µs against 32-36 µs this way
 * (each date object converted once, then plain strings: bench/micro/json-text.ts). Used
 * where that showed under the react benchmark: the bus publish (5% of the server's CPU)
 * and a change batch's write, whose rows share the batch's one date. Anything but dates,
 * arrays and plain objects is left to `JSON.stringify` as it is.
 */
export function jsonText(payload: unknown): string {
  return JSON.stringify(plain(payload, new Map()));
}

/** A copy of `value`'s arrays and plain objects with each date replaced by its text (converted once); anything else as it is. */
function plain(value: unknown, dates: Map<Date, string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return isoOnce(value, dates);
  if (Array.isArray(value)) return value.map((item) => plain(item, dates));
  // Anything but a plain object (a boxed primitive, a class with its own toJSON) is left to JSON.stringify.
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = plain((value as Record<string, unknown>)[key], dates);
    // An own "__proto__" key (JSON.parse makes them) is data, not the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}

/** `Date#toJSON`'s text (null for an invalid date), computed once per date object of the payload. */
function isoOnce(date: Date, dates: Map<Date, string>): string | null {
  let text = dates.get(date);
  if (text === undefined) {
    if (Number.isNaN(date.getTime())) return null;
    dates.set(date, (text = date.toISOString()));
  }
  return text;
}
