import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths never written to the logs: secrets travel in these fields and pino
 * replaces them at the root, so no child logger can leak them.
 */
const redactPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'connectionParams',
  '*.connectionParams',
  'body',
  '*.body',
  'variables',
  '*.variables',
];

/** The one root logger of a process: JSON lines on stdout. */
export function createLogger(options: { level: string }): Logger {
  return pino({
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
