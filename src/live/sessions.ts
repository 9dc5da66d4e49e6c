import type { TokenService } from '../auth';
import type { SqlClient } from '../entities/sql-client';
import { readSessionsEndedSince, type EndedSession } from '../entities/stores/sessions';
import type { Logger } from '../logger';
import { Topic, type EventBus } from './pubsub';

/** What travels on `sessions.ended` (plain JSON: the date as an ISO string). */
export interface SessionEndedSignal {
  sessionId: string;
  userId: string;
  endedAt: string;
}

export type SessionEndedListener = (sessionId: string) => void;

export interface SessionEndsOptions {
  bus: EventBus;
  sql: SqlClient;
  tokens: TokenService;
  log: Logger;
  jwtTtlSeconds: number;
}

/**
 * Which sessions have ended, known in every process without a database read per request:
 * each end is announced on the bus and remembered by the TokenService (which then refuses
 * the session's access tokens); on startup and whenever the bus resumes after an outage
 * (when announcements may have been lost), the sessions ended within the access tokens'
 * lifetime are read from the database. Listeners (the WebSocket server) close the
 * session's sockets.
 */
export class SessionEnds {
  private readonly listeners = new Set<SessionEndedListener>();
  private stopListening: (() => void) | null = null;
  private stopResume: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly options: SessionEndsOptions) {}

  /** Listens on the bus and reads the recent ends; never waits for Redis (a resume catches up). */
  async start(): Promise<void> {
    this.stopResume = this.options.bus.onResume(() => {
      if (!this.stopListening) void this.listen();
      void this.loadRecent();
    });
    void this.listen();
    await this.loadRecent();
  }

  private async listen(): Promise<void> {
    try {
      const stop = await this.options.bus.listen(Topic.sessionsEnded, (payload) => this.receive(payload as SessionEndedSignal));
      if (this.stopped) stop();
      else this.stopListening = stop;
    } catch (err) {
      // Redis is down: when the bus resumes, this listens again and reloads from the database.
      this.options.log.warn({ err }, 'sessions: could not listen for ended sessions yet');
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopListening?.();
    this.stopResume?.();
  }

  onEnded(listener: SessionEndedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A session ended here: applied in this process at once, then told to the others (and to this one again: harmless). */
  async announce(ended: EndedSession): Promise<void> {
    const signal: SessionEndedSignal = { sessionId: ended.sessionId, userId: ended.userId, endedAt: ended.endedAt.toISOString() };
    this.receive(signal);
    await this.options.bus.publish(Topic.sessionsEnded, signal);
  }

  private receive(signal: SessionEndedSignal): void {
    this.options.tokens.endSession(signal.sessionId, new Date(signal.endedAt));
    for (const listener of this.listeners) {
      try {
        listener(signal.sessionId);
      } catch (err) {
        this.options.log.error({ err }, 'sessions: an ended-session listener failed');
      }
    }
  }

  /** The sessions whose access tokens may still be unexpired: those ended within one token lifetime. */
  private async loadRecent(): Promise<void> {
    const { sql, log, jwtTtlSeconds } = this.options;
    try {
      const since = new Date(Date.now() - (jwtTtlSeconds + 1) * 1000);
      for (const ended of await readSessionsEndedSince(sql, since)) {
        this.receive({ sessionId: ended.sessionId, userId: ended.userId, endedAt: ended.endedAt.toISOString() });
      }
    } catch (err) {
      log.error({ err }, 'sessions: could not read the recently ended sessions');
    }
  }
}
