/** The invitation outbox on SQLite: rows are queued inside invitation transactions, then claimed by senders. */
import type { DatabaseSync } from "node:sqlite";
import { retryWhileBusy } from "./lock_wait.ts";
import { integer, text } from "./row.ts";
import { transaction } from "./transaction.ts";
import type { InvitationOutbox, OutboxHolder, OutboxInvitation, OutboxStats } from "./types.ts";

function prepareStatements(db: DatabaseSync) {
  const p = (sql: string) => db.prepare(sql);
  return {
    enqueue: p(
      `INSERT INTO invitation_outbox (invitation_id, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?)`,
    ),
    due: p(
      `SELECT o.invitation_id, o.attempts, i.user_id, i.expires_at, u.email, t.name AS tenant_name
       FROM invitation_outbox o
       JOIN invitations i ON i.id = o.invitation_id
       JOIN users u ON u.id = i.user_id
       JOIN tenants t ON t.id = i.tenant_id
       WHERE o.state = 'pending' AND o.next_attempt_at <= ?
       ORDER BY o.next_attempt_at LIMIT ?`,
    ),
    claim: p(
      `UPDATE invitation_outbox
       SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?, holder_pid = ?, holder_host = ?
       WHERE invitation_id = ?`,
    ),
    holders: p(
      `SELECT DISTINCT holder_pid FROM invitation_outbox
       WHERE state = 'pending' AND next_attempt_at > ? AND holder_host = ? AND holder_pid IS NOT NULL`,
    ),
    release: p(
      `UPDATE invitation_outbox SET next_attempt_at = ?, updated_at = ?, holder_pid = NULL, holder_host = NULL
       WHERE state = 'pending' AND next_attempt_at > ? AND holder_host = ? AND holder_pid = ?`,
    ),
    setToken: p(
      `UPDATE invitations SET token_hash = ?
       WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
    ),
    setState: p(
      `UPDATE invitation_outbox SET state = ?, updated_at = ?, holder_pid = NULL, holder_host = NULL
       WHERE invitation_id = ? AND state = 'pending'`,
    ),
    retry: p(
      `UPDATE invitation_outbox SET next_attempt_at = ?, updated_at = ?, holder_pid = NULL, holder_host = NULL
       WHERE invitation_id = ? AND state = 'pending'`,
    ),
    pending: p("SELECT count(*) AS n FROM invitation_outbox WHERE state = 'pending'"),
    stats: p("SELECT state, count(*) AS n, min(created_at) AS oldest FROM invitation_outbox GROUP BY state"),
  };
}

/** The outbox over the store's connection. */
export class SqliteOutbox implements InvitationOutbox {
  readonly #db: DatabaseSync;
  readonly #s: ReturnType<typeof prepareStatements>;

  readonly #lockWaitMs: number;

  /** `lockWaitMs`: how long an operation waits for another process's lock (see lock_wait.ts). */
  constructor(db: DatabaseSync, lockWaitMs: number) {
    this.#db = db;
    this.#s = prepareStatements(db);
    this.#lockWaitMs = lockWaitMs;
  }

  #run<T>(fn: () => T): Promise<T> {
    return retryWhileBusy(fn, { waitMs: this.#lockWaitMs });
  }

  /** Queues an invitation's email; call inside the transaction that writes the invitation. */
  enqueue(invitationId: string, now: string): void {
    this.#s.enqueue.run(invitationId, now, now, now);
  }

  claimDue(
    now: string,
    leaseUntil: string,
    tokenHashes: readonly string[],
    holder: OutboxHolder,
  ): Promise<OutboxInvitation[]> {
    // Selecting, claiming and setting tokens in one write transaction: two senders (two processes) never
    // take one row, and a batch costs one commit.
    return this.#run(() =>
      transaction(this.#db, () => {
        const claimed: OutboxInvitation[] = [];
        for (const row of this.#s.due.all(now, tokenHashes.length)) {
          const invitationId = text(row, "invitation_id");
          const tokenHash = tokenHashes[claimed.length] ?? "";
          if (Number(this.#s.setToken.run(tokenHash, invitationId, now).changes) !== 1) {
            this.#s.setState.run("cancelled", now, invitationId);
            continue;
          }
          this.#s.claim.run(leaseUntil, now, holder.pid, holder.host, invitationId);
          claimed.push({
            invitationId,
            userId: text(row, "user_id"),
            email: text(row, "email"),
            tenantName: text(row, "tenant_name"),
            expiresAt: text(row, "expires_at"),
            attempt: integer(row, "attempts") + 1,
            tokenHash,
          });
        }
        return claimed;
      })
    );
  }

  holders(host: string, now: string): Promise<number[]> {
    return this.#run(() => this.#s.holders.all(now, host).map((row) => integer(row, "holder_pid")));
  }

  releaseHolder(host: string, pid: number, now: string): Promise<number> {
    return this.#run(() => Number(this.#s.release.run(now, now, now, host, pid).changes));
  }

  markSent(invitationIds: readonly string[], now: string): Promise<void> {
    return this.#run(() =>
      transaction(this.#db, () => {
        for (const id of invitationIds) this.#s.setState.run("sent", now, id);
      })
    );
  }

  retryAt(invitationId: string, nextAttemptAt: string, now: string): Promise<void> {
    return this.#run(() => void this.#s.retry.run(nextAttemptAt, now, invitationId));
  }

  markFailed(invitationId: string, now: string): Promise<void> {
    return this.#run(() => void this.#s.setState.run("failed", now, invitationId));
  }

  pendingCount(): Promise<number> {
    return this.#run(() => {
      const row = this.#s.pending.get();
      return row ? integer(row, "n") : 0;
    });
  }

  stats(): Promise<OutboxStats> {
    return this.#run(() => {
      const stats: OutboxStats = { pending: 0, sent: 0, failed: 0, cancelled: 0, oldestPendingAt: null };
      for (const row of this.#s.stats.all()) {
        const state = text(row, "state");
        if (state === "pending" || state === "sent" || state === "failed" || state === "cancelled") {
          stats[state] = integer(row, "n");
        }
        if (state === "pending") stats.oldestPendingAt = text(row, "oldest");
      }
      return stats;
    });
  }
}
