/**
 * Where presence is kept: which users have a live socket on some process. The tracker
 * (presence.ts) counts sockets per user locally and tells the engine only when a user's
 * first socket on this process opens and when their last one closed (after the grace).
 */

/** A user's first socket on this process opened (`+`), or their last one closed (`-`). */
export interface PresenceOp {
  kind: '+' | '-';
  userId: string;
}

/** A user who became online or offline for the whole deployment. */
export interface PresenceChange {
  userId: string;
  online: boolean;
}

/** Users of a dead process who are offline now, and when that process was last alive. */
export interface SweptUser {
  userId: string;
  at: Date;
}

export interface Applied {
  changes: PresenceChange[];
  /** This process had no entries left (it was swept, or Redis restarted empty): announce its users again. */
  lost: boolean;
}

export interface PresenceEngine {
  /**
   * Applies the ops in order, atomically for each user; returns the users whose state
   * changed for the deployment (online anywhere, or offline everywhere), and whether this
   * process's entries had been lost (see `beat`). Rejects when the store cannot be
   * reached: the caller retries.
   */
  apply(ops: readonly PresenceOp[]): Promise<Applied>;
  /** Which of `userIds` have a live socket on some process. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * Proves this process alive and sweeps processes that stopped doing so. `lost` is true
   * when this process's entries were gone (it was swept, or Redis lost its data): the
   * tracker then announces its users again.
   */
  beat(): Promise<{ lost: boolean; swept: SweptUser[] }>;
  /** Removes this process's entries (graceful shutdown): its users who are now offline. */
  leaveAll(): Promise<string[]>;
}

/**
 * One process: its own sockets are the whole truth, so nothing ever dies unseen and
 * there is nothing to sweep.
 */
export class MemoryPresenceEngine implements PresenceEngine {
  private readonly online = new Set<string>();

  async apply(ops: readonly PresenceOp[]): Promise<Applied> {
    const changes: PresenceChange[] = [];
    for (const { kind, userId } of ops) {
      if (kind === '+' && !this.online.has(userId)) {
        this.online.add(userId);
        changes.push({ userId, online: true });
      } else if (kind === '-' && this.online.delete(userId)) {
        changes.push({ userId, online: false });
      }
    }
    return { changes, lost: false };
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.online.has(id)));
  }

  async beat(): Promise<{ lost: boolean; swept: SweptUser[] }> {
    return { lost: false, swept: [] };
  }

  async leaveAll(): Promise<string[]> {
    const users = [...this.online];
    this.online.clear();
    return users;
  }
}
