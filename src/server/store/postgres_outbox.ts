/**
 * The invitation outbox on PostgreSQL: rows are queued inside invitation transactions and claimed with
 * `FOR UPDATE SKIP LOCKED` under a lease, so instances sharing the database never send one row at once.
 */
import type postgres from "postgres";
import type { InvitationOutbox, OutboxHolder, OutboxInvitation } from "./types.ts";

/** Runs `fn` in a transaction of the store (retries and error mapping are the store's). */
export type Transact = <T>(fn: (sql: postgres.TransactionSql) => Promise<T>) => Promise<T>;
/** Runs one statement outside a transaction, with the store's error mapping. */
export type Query = <T>(fn: (sql: postgres.Sql) => Promise<T>) => Promise<T>;

interface DueRow {
  invitation_id: string;
  attempts: number;
  user_id: string;
  expires_at: string;
  email: string;
  tenant_name: string;
}

/** Queues an invitation's email; call inside the transaction that writes the invitation. */
export async function enqueueInvitation(
  sql: postgres.TransactionSql,
  invitationId: string,
  now: string,
): Promise<void> {
  await sql`INSERT INTO invitation_outbox (invitation_id, next_attempt_at, created_at, updated_at)
    VALUES (${invitationId}, ${now}, ${now}, ${now})`;
}

/** The outbox over the store's connection pool. */
export class PostgresOutbox implements InvitationOutbox {
  readonly #tx: Transact;
  readonly #query: Query;

  /** `tx` and `query` are the store's, so a lost connection is the same 503 here as anywhere. */
  constructor(tx: Transact, query: Query) {
    this.#tx = tx;
    this.#query = query;
  }

  claimDue(
    now: string,
    leaseUntil: string,
    tokenHashes: readonly string[],
    holder: OutboxHolder,
  ): Promise<OutboxInvitation[]> {
    // SKIP LOCKED: a row another instance is claiming right now is left to it, never waited for or taken twice.
    return this.#tx(async (sql) => {
      const rows = await sql<DueRow[]>`
        SELECT o.invitation_id, o.attempts, i.user_id, i.expires_at, u.email, t.name AS tenant_name
        FROM invitation_outbox o
        JOIN invitations i ON i.id = o.invitation_id
        JOIN users u ON u.id = i.user_id
        JOIN tenants t ON t.id = i.tenant_id
        WHERE o.state = 'pending' AND o.next_attempt_at <= ${now}
        ORDER BY o.next_attempt_at
        LIMIT ${tokenHashes.length}
        FOR UPDATE OF o SKIP LOCKED`;
      const claimed: OutboxInvitation[] = [];
      for (const row of rows) {
        const tokenHash = tokenHashes[claimed.length] ?? "";
        const set = await sql`UPDATE invitations SET token_hash = ${tokenHash}
          WHERE id = ${row.invitation_id} AND accepted_at IS NULL AND revoked_at IS NULL
            AND expires_at > ${now}`;
        if (set.count !== 1) {
          await sql`UPDATE invitation_outbox SET state = 'cancelled', updated_at = ${now}, holder_pid = NULL,
              holder_host = NULL
            WHERE invitation_id = ${row.invitation_id} AND state = 'pending'`;
          continue;
        }
        await sql`UPDATE invitation_outbox SET attempts = attempts + 1, next_attempt_at = ${leaseUntil},
          updated_at = ${now}, holder_pid = ${holder.pid}, holder_host = ${holder.host}
          WHERE invitation_id = ${row.invitation_id}`;
        claimed.push({
          invitationId: row.invitation_id,
          userId: row.user_id,
          email: row.email,
          tenantName: row.tenant_name,
          expiresAt: row.expires_at,
          attempt: row.attempts + 1,
          tokenHash,
        });
      }
      return claimed;
    });
  }

  holders(host: string, now: string): Promise<number[]> {
    return this.#query(async (sql) => {
      const rows = await sql<{ holder_pid: number }[]>`SELECT DISTINCT holder_pid FROM invitation_outbox
        WHERE state = 'pending' AND next_attempt_at > ${now} AND holder_host = ${host}
          AND holder_pid IS NOT NULL`;
      return rows.map((row) => row.holder_pid);
    });
  }

  releaseHolder(host: string, pid: number, now: string): Promise<number> {
    return this.#query(async (sql) => {
      const released = await sql`UPDATE invitation_outbox
        SET next_attempt_at = ${now}, updated_at = ${now}, holder_pid = NULL, holder_host = NULL
        WHERE state = 'pending' AND next_attempt_at > ${now} AND holder_host = ${host} AND holder_pid = ${pid}`;
      return released.count;
    });
  }

  markSent(invitationIds: readonly string[], now: string): Promise<void> {
    return this.#query(async (sql) => {
      await sql`UPDATE invitation_outbox SET state = 'sent', updated_at = ${now}, holder_pid = NULL,
          holder_host = NULL
        WHERE invitation_id = ANY(${invitationIds as string[]}) AND state = 'pending'`;
    });
  }

  retryAt(invitationId: string, nextAttemptAt: string, now: string): Promise<void> {
    // The row is nobody's until its retry: a takeover of a gone process's rows leaves it to its time.
    return this.#query(async (sql) => {
      await sql`UPDATE invitation_outbox SET next_attempt_at = ${nextAttemptAt}, updated_at = ${now},
          holder_pid = NULL, holder_host = NULL
        WHERE invitation_id = ${invitationId} AND state = 'pending'`;
    });
  }

  markFailed(invitationId: string, now: string): Promise<void> {
    return this.#query(async (sql) => {
      await sql`UPDATE invitation_outbox SET state = 'failed', updated_at = ${now}, holder_pid = NULL,
          holder_host = NULL
        WHERE invitation_id = ${invitationId} AND state = 'pending'`;
    });
  }

  /** Emails by state, and when the oldest pending one was queued (for the metrics). */
  stats(): Promise<{
    pending: number;
    sent: number;
    failed: number;
    cancelled: number;
    oldestPendingAt: string | null;
  }> {
    return this.#query(async (sql) => {
      const rows = await sql<{ state: string; n: number; oldest: string }[]>`
        SELECT state, count(*)::int AS n, min(created_at) AS oldest FROM invitation_outbox GROUP BY state`;
      const stats = { pending: 0, sent: 0, failed: 0, cancelled: 0, oldestPendingAt: null as string | null };
      for (const row of rows) {
        if (
          row.state === "pending" || row.state === "sent" || row.state === "failed" ||
          row.state === "cancelled"
        ) {
          stats[row.state] = row.n;
        }
        if (row.state === "pending") stats.oldestPendingAt = row.oldest;
      }
      return stats;
    });
  }

  pendingCount(): Promise<number> {
    return this.#query(async (sql) => {
      const [row] = await sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM invitation_outbox WHERE state = 'pending'`;
      return row?.n ?? 0;
    });
  }
}
