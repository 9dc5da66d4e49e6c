/** A pino destination that keeps every log line in memory, parsed, for tests that read the log. */
export interface LogCapture {
  write(line: string): void;
  readonly entries: Record<string, unknown>[];
  /** The raw lines, for "this text appears nowhere" assertions. */
  text(): string;
}

export function captureLog(): LogCapture {
  const lines: string[] = [];
  return {
    write: (line) => void lines.push(line),
    get entries() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => lines.join(''),
  };
}
