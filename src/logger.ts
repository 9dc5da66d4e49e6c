import pino, { type Logger } from 'pino';
import { serializeError } from './log-errors';

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

/** The one root logger of a process: JSON lines on stdout (or `destination`, for tests that read the log). */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino({
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: redactPaths, censor: '[redacted]' },
    // Errors from the database carry the statement with its values (message bodies): never logged.
    serializers: { err: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, options.destination);
}
