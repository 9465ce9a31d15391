/**
 * The audit log of the SQLite store (migration 5): `record` inserts an event inside the transaction of the
 * write it describes; failed authentications arrive counted and are added to one row per tenant, address
 * and minute; pages are read newest first by (time, seq).
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { newId } from "../ids.ts";
import { integer, type Row, text, textOrNull } from "./row.ts";
import type {
  AuthFailureCount,
  EventContext,
  EventPage,
  EventQuery,
  EventRecord,
  NewEvent,
} from "./types.ts";

const COLUMNS =
  "seq, id, time, tenant_id, actor_user_id, actor_credential_id, action, target, request_id, client_address, " +
  "count, details";

function eventFromRow(row: Row): EventRecord {
  return {
    seq: integer(row, 0),
    id: text(row, 1),
    time: text(row, 2),
    tenantId: textOrNull(row, 3),
    actorUserId: textOrNull(row, 4),
    actorCredentialId: textOrNull(row, 5),
    action: text(row, 6),
    target: textOrNull(row, 7),
    requestId: textOrNull(row, 8),
    clientAddress: textOrNull(row, 9),
    count: integer(row, 10),
    details: textOrNull(row, 11),
  };
}

/** The event of a write: its action and target, done by the context's actor at `time`. */
export function eventOf(
  context: EventContext,
  tenantId: string | null,
  action: NewEvent["action"],
  target: string | null,
  time: string,
  details?: Record<string, unknown>,
): NewEvent {
  return { ...context, tenantId, action, target, time, details };
}

/** Whether an actor filter names a user (`usr_...`) rather than a credential (`key_...`, `ses_...`, `inv_...`). */
export function isUserActor(actor: string): boolean {
  return actor.startsWith("usr_");
}

/**
 * The page query of `list` for the filters given: an index range on (tenant_id, a filter's column, time,
 * seq), read backwards; the most selective filter present picks the index (target, then actor, then
 * action). The cursor is the seq of the previous page's last event; the page continues below its
 * (time, seq), so events written meanwhile never shift a walk.
 */
export function listEventsSql(
  q: Pick<EventQuery, "since" | "until" | "action" | "actor" | "target">,
  after: boolean,
): string {
  const where = ["tenant_id = ?"];
  if (q.action !== undefined) where.push("action = ?");
  const actorColumn = q.actor === undefined
    ? undefined
    : isUserActor(q.actor)
    ? "actor_user_id"
    : "actor_credential_id";
  if (actorColumn !== undefined) where.push(`${actorColumn} = ?`);
  if (q.target !== undefined) where.push("target = ?");
  if (q.since !== undefined) where.push("time >= ?");
  if (q.until !== undefined) where.push("time < ?");
  if (after) where.push("(time, seq) < (SELECT time, seq FROM events WHERE seq = ?)");
  const index = q.target !== undefined
    ? "events_tenant_target_time"
    : actorColumn === "actor_user_id"
    ? "events_tenant_actor_time"
    : actorColumn === "actor_credential_id"
    ? "events_tenant_credential_time"
    : q.action !== undefined
    ? "events_tenant_action_time"
    : "events_tenant_time";
  return `SELECT ${COLUMNS} FROM events INDEXED BY ${index} WHERE ${
    where.join(" AND ")
  } ORDER BY time DESC, seq DESC LIMIT ?`;
}

/** The audit log on the store's connection; `record` must run inside the caller's transaction. */
export class SqliteEvents {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #addFailures: StatementSync;
  readonly #purge: StatementSync;
  readonly #lists = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO events (id, time, tenant_id, actor_user_id, actor_credential_id, action, target, request_id,
         client_address, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Another process may count the same address and minute: its rows add up on the same event.
    this.#addFailures = db.prepare(
      `INSERT INTO events (id, time, tenant_id, actor_user_id, actor_credential_id, action, target, request_id,
         client_address, count, aggregate_key)
       VALUES (?, ?, ?, NULL, ?, 'auth.failed', NULL, ?, ?, ?, ?)
       ON CONFLICT (aggregate_key) DO UPDATE SET count = count + excluded.count`,
    );
    this.#purge = db.prepare("DELETE FROM events WHERE time < ?");
  }

  /**
   * Records one event; call it inside the transaction of the write it describes, so the write and its
   * event commit (or roll back) together. Never pass a secret in `details`.
   */
  record(event: NewEvent): void {
    this.#insert.run(
      newId("evt"),
      event.time,
      event.tenantId,
      event.actorUserId,
      event.actorCredentialId,
      event.action,
      event.target,
      event.requestId,
      event.clientAddress,
      event.details === undefined ? null : JSON.stringify(event.details),
    );
  }

  /** Adds counted failed authentications to their events (call inside a transaction). */
  addAuthFailures(failures: readonly AuthFailureCount[]): void {
    for (const f of failures) {
      const key = `auth.failed\n${f.tenantId ?? ""}\n${
        f.credentialId ?? ""
      }\n${f.clientAddress}\n${f.minute}`;
      this.#addFailures.run(
        newId("evt"),
        f.minute,
        f.tenantId,
        f.credentialId,
        f.requestId,
        f.clientAddress,
        f.count,
        key,
      );
    }
  }

  /** Deletes events older than `before` (ISO time). */
  purge(before: string): void {
    this.#purge.run(before);
  }

  /** One page of a tenant's events, newest first. */
  list(q: EventQuery): EventPage {
    const after = q.afterSeq > 0;
    const actor = q.actor === undefined ? "0" : isUserActor(q.actor) ? "u" : "c";
    const name = [q.action, q.target, q.since, q.until].map((v) => v === undefined ? "0" : "1").join("") +
      actor + (after ? "1" : "0");
    let stmt = this.#lists.get(name);
    if (!stmt) {
      stmt = this.#db.prepare(listEventsSql(q, after));
      stmt.setReturnArrays(true);
      this.#lists.set(name, stmt);
    }
    const params: (string | number)[] = [q.tenantId];
    if (q.action !== undefined) params.push(q.action);
    if (q.actor !== undefined) params.push(q.actor);
    if (q.target !== undefined) params.push(q.target);
    if (q.since !== undefined) params.push(q.since);
    if (q.until !== undefined) params.push(q.until);
    if (after) params.push(q.afterSeq);
    params.push(q.limit + 1);
    const rows = stmt.all(...params);
    const more = rows.length > q.limit;
    return { events: rows.slice(0, q.limit).map((row) => eventFromRow(row as Row)), more };
  }
}
