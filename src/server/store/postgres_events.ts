/**
 * The audit log of the PostgreSQL store: `recordEvent` inserts an event inside the transaction of the write it
 * describes; failed authentications arrive counted and add up on one row per tenant, address and minute
 * (instances counting the same minute add to the same row); pages are read newest first by (time, seq).
 */
import type postgres from "postgres";
import { newId } from "../ids.ts";
import type { AuthFailureCount, EventPage, EventQuery, EventRecord, NewEvent } from "./types.ts";

interface EventRow {
  seq: string;
  id: string;
  time: string;
  tenant_id: string | null;
  actor_user_id: string | null;
  actor_credential_id: string | null;
  action: string;
  target: string | null;
  request_id: string | null;
  client_address: string | null;
  count: number;
  details: string | null;
}

function eventFromRow(row: EventRow): EventRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    time: row.time,
    tenantId: row.tenant_id,
    actorUserId: row.actor_user_id,
    actorCredentialId: row.actor_credential_id,
    action: row.action,
    target: row.target,
    requestId: row.request_id,
    clientAddress: row.client_address,
    count: row.count,
    details: row.details,
  };
}

/** Records one event inside the caller's transaction; never pass a secret in `details`. */
export async function recordEvent(sql: postgres.TransactionSql, event: NewEvent): Promise<void> {
  await sql`INSERT INTO events (id, time, tenant_id, actor_user_id, actor_credential_id, action, target,
      request_id, client_address, details)
    VALUES (${newId("evt")}, ${event.time}, ${event.tenantId}, ${event.actorUserId},
      ${event.actorCredentialId}, ${event.action}, ${event.target}, ${event.requestId}, ${event.clientAddress},
      ${event.details === undefined ? null : JSON.stringify(event.details)})`;
}

/** Adds counted failed authentications to their events (inside a transaction). */
export async function addAuthFailures(
  sql: postgres.TransactionSql,
  failures: readonly AuthFailureCount[],
): Promise<void> {
  for (const f of failures) {
    const key = `auth.failed\n${f.tenantId ?? ""}\n${f.credentialId ?? ""}\n${f.clientAddress}\n${f.minute}`;
    await sql`INSERT INTO events (id, time, tenant_id, actor_user_id, actor_credential_id, action, target,
        request_id, client_address, count, aggregate_key)
      VALUES (${newId("evt")}, ${f.minute}, ${f.tenantId}, NULL, ${f.credentialId}, 'auth.failed', NULL,
        ${f.requestId}, ${f.clientAddress}, ${f.count}, ${key})
      ON CONFLICT (aggregate_key) DO UPDATE SET count = events.count + excluded.count`;
  }
}

/** One page of a tenant's events, newest first; the cursor is the previous page's last seq. */
export async function listEvents(sql: postgres.Sql, q: EventQuery): Promise<EventPage> {
  const none = sql``;
  const rows = await sql<EventRow[]>`
    SELECT seq, id, time, tenant_id, actor_user_id, actor_credential_id, action, target, request_id,
      client_address, count, details
    FROM events
    WHERE tenant_id = ${q.tenantId}
      ${q.action === undefined ? none : sql`AND action = ${q.action}`}
      ${
    q.actor === undefined ? none : sql`AND (actor_user_id = ${q.actor} OR actor_credential_id = ${q.actor})`
  }
      ${q.target === undefined ? none : sql`AND target = ${q.target}`}
      ${q.since === undefined ? none : sql`AND time >= ${q.since}`}
      ${q.until === undefined ? none : sql`AND time < ${q.until}`}
      ${
    q.afterSeq > 0 ? sql`AND (time, seq) < (SELECT time, seq FROM events WHERE seq = ${q.afterSeq})` : none
  }
    ORDER BY time DESC, seq DESC
    LIMIT ${q.limit + 1}`;
  return { events: rows.slice(0, q.limit).map(eventFromRow), more: rows.length > q.limit };
}
