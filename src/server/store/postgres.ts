/**
 * The PostgreSQL engine of the store, through postgres.js: any number of server instances share one database.
 * Every write is one transaction at READ COMMITTED; where two instances could both pass a check (the last
 * admin, the most keys a user may hold, one idempotency key) the transaction first locks the row or key the
 * check is about, so the second waits for the first and then sees its result.
 */
import postgres from "postgres";
import { emailKey } from "../../email/key.ts";
import { hashSecret, newId, newSecret, SECRET_PREFIX } from "../ids.ts";
import { scopesOfRole } from "../scopes.ts";
import type { Role } from "../../wire/mod.ts";
import { wireUser } from "../wire.ts";
import { EMAIL_KEY_RULE } from "./email_keys.ts";
import { BUCKET_SWEEP_AFTER_MS, chargeBuckets, refundBuckets, sweepBuckets } from "./postgres_buckets.ts";
import { addAuthFailures, listEvents, recordEvent } from "./postgres_events.ts";
import { enqueueInvitation, PostgresOutbox } from "./postgres_outbox.ts";
import { eventOf } from "./sqlite_events.ts";
import { POSTGRES_MIGRATIONS } from "./postgres_migrations.ts";
import { opening, SchemaTooNewError } from "./open_error.ts";
import { startUp } from "./start_up.ts";
import { DatabaseUnavailableError } from "./unavailable.ts";
import {
  type AcceptInput,
  type ApiKeyPage,
  type ApiKeyQuery,
  type ApiKeyRecord,
  type ApiKeyUse,
  type AuthFailureCount,
  type CreatedTenant,
  type DeactivateResult,
  EmailTakenError,
  type EventContext,
  type EventPage,
  type EventQuery,
  type IdempotencyWrite,
  type InviteResult,
  type NewApiKey,
  type NewInvitation,
  type NewTenant,
  type Principal,
  type RefusedApiKey,
  type ResendResult,
  type RevokeApiKey,
  type RevokeApiKeyResult,
  type SetRoleResult,
  type SharedBuckets,
  type StartUp,
  type Store,
  type StoredResponse,
  SYSTEM_CONTEXT,
  TenantExistsError,
  type TenantRecord,
  TooManyApiKeysError,
  type UserPageRows,
  type UserQuery,
  type UserRecord,
} from "./types.ts";

type Sql = postgres.Sql;
type Tx = postgres.TransactionSql;

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /** Connections each instance may hold (default 10). */
  maxConnections?: number;
}

// The advisory lock every instance takes to migrate, so that instances started together migrate once.
const MIGRATION_LOCK = 0x7068_7977; // "phyw"

interface UserRow {
  seq: string;
  id: string;
  tenant_id: string;
  email: string;
  status: UserRecord["status"];
  role: UserRecord["role"];
  created_at: string;
  invited_by: string | null;
  activated_at: string | null;
  deactivated_at: string | null;
}

function userFromRow(row: UserRow): UserRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    status: row.status,
    role: row.role,
    createdAt: row.created_at,
    invitedBy: row.invited_by,
    activatedAt: row.activated_at,
    deactivatedAt: row.deactivated_at,
  };
}

interface KeyRow {
  seq: string;
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const KEY_COLUMNS =
  "seq, id, tenant_id, user_id, name, scopes, created_at, expires_at, last_used_at, revoked_at";

function scopesOf(text: string): string[] {
  const scopes: unknown = JSON.parse(text);
  return Array.isArray(scopes) ? scopes.map(String) : [];
}

function keyFromRow(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    name: row.name,
    scopes: scopesOf(row.scopes),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function codeOf(error: unknown): string {
  return error instanceof Error && "code" in error ? String(error.code) : "";
}

function constraintOf(error: unknown): string {
  return error instanceof Error && "constraint_name" in error ? String(error.constraint_name) : "";
}

/** Whether a postgres.js error means the server cannot be reached or is going away (not the query's fault). */
function isConnectionFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code.startsWith("08") || // connection exceptions
    ["57P01", "57P02", "57P03", "53300"].includes(code) || // shutdown, crash, starting up, too many clients
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "EPIPE",
      "ETIMEDOUT",
      "EHOSTUNREACH",
      "ENOTFOUND",
      "CONNECTION_CLOSED",
      "CONNECTION_ENDED",
      "CONNECTION_DESTROYED",
      "CONNECT_TIMEOUT",
    ].includes(code);
}

// Serialization failures and deadlocks: the transaction was rolled back whole and may simply run again.
function isRetryable(error: unknown): boolean {
  return ["40001", "40P01"].includes(codeOf(error));
}

/** Connects, migrates (once, under an advisory lock, however many instances start together) and checks. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const sql = postgres(url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    // Times are ISO strings in text columns; nothing needs a type parsed beyond postgres.js's defaults.
    connection: { application_name: "phyware" },
  });
  try {
    await migrate(sql);
    return new PostgresStore(sql, url);
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw error;
  }
}

async function migrate(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    const [table] = await tx<{ meta: string | null }[]>`SELECT to_regclass('meta')::text AS meta`;
    let version = 0;
    if (table?.meta) {
      const [row] = await tx<{ value: string }[]>`SELECT value FROM meta WHERE key = 'schema_version'`;
      version = row ? Number(row.value) : 0;
    }
    if (version > POSTGRES_MIGRATIONS.length) {
      throw new SchemaTooNewError(version, POSTGRES_MIGRATIONS.length);
    }
    for (let v = version; v < POSTGRES_MIGRATIONS.length; v++) {
      await tx.unsafe(POSTGRES_MIGRATIONS[v] ?? "");
    }
    if (version < POSTGRES_MIGRATIONS.length) {
      const next = String(POSTGRES_MIGRATIONS.length);
      await tx`INSERT INTO meta (key, value) VALUES ('schema_version', ${next})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
      // Every key of this database was written by the current emailKey rule.
      await tx`INSERT INTO meta (key, value) VALUES ('email_key_rule', ${EMAIL_KEY_RULE})
        ON CONFLICT (key) DO NOTHING`;
    }
  });
}

const USER_COLUMNS =
  "seq, id, tenant_id, email, status, role, created_at, invited_by, activated_at, deactivated_at";
const encoder = new TextEncoder();
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";

/** The Store on a PostgreSQL connection pool. */
export class PostgresStore implements Store {
  readonly #sql: Sql;
  readonly #outbox: PostgresOutbox;
  readonly #url: string;

  /** Over an open, migrated pool (see openPostgresStore); `url` is what a DatabaseOpenError names. */
  constructor(sql: Sql, url: string) {
    this.#sql = sql;
    this.#url = url;
    this.#outbox = new PostgresOutbox((fn) => this.#tx(fn), (fn) => this.#query(fn));
  }

  get outbox(): PostgresOutbox {
    return this.#outbox;
  }

  /** The rate limits' buckets, kept in PostgreSQL so that every instance charges the same ones. */
  get buckets(): SharedBuckets {
    const sql = this.#sql;
    return {
      charge: (charges, nowMs, take) => this.#query(() => chargeBuckets(sql, charges, nowMs, take)),
      refund: (charges) => this.#query(() => refundBuckets(sql, charges)),
    };
  }

  // Every method runs through #query or #tx: a lost connection becomes DatabaseUnavailableError (a 503 with
  // Retry-After); postgres.js connects again on the next query, so the instance serves again without a restart.
  async #query<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    try {
      return await fn(this.#sql);
    } catch (error) {
      throw mapError(error);
    }
  }

  async #tx<T>(fn: (sql: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1;; attempt++) {
      try {
        return await this.#sql.begin((tx) => fn(tx)) as T;
      } catch (error) {
        if (isRetryable(error) && attempt < 5) continue;
        throw mapError(error);
      }
    }
  }

  async #queueInvitation(sql: Tx, tenantId: string, userId: string, now: string, expiresAt: string) {
    // A placeholder hash nobody holds a token for: the sender mints the real token when the email goes out.
    const invitationId = newId("inv");
    const placeholder = hashSecret(newSecret(SECRET_PREFIX.invitation));
    await sql`INSERT INTO invitations (id, tenant_id, user_id, token_hash, created_at, expires_at)
      VALUES (${invitationId}, ${tenantId}, ${userId}, ${placeholder}, ${now}, ${expiresAt})`;
    await enqueueInvitation(sql, invitationId, now);
    return invitationId;
  }

  async #bumpRevocations(sql: Tx): Promise<void> {
    await sql`INSERT INTO meta (key, value) VALUES ('revocations', '1')
      ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text`;
  }

  async #findIdem(sql: Sql | Tx, credentialId: string, key: string, notBefore: string) {
    const [row] = await sql<{ request_hash: string; status: number; body: string }[]>`
      SELECT request_hash, status, body FROM idempotency_keys
      WHERE credential_id = ${credentialId} AND key = ${key} AND created_at >= ${notBefore}`;
    return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : undefined;
  }

  // Two requests with one key, on any instances, are serialized on the key: the second waits for the first
  // to commit, then finds its stored answer.
  async #replayOf(sql: Tx, idem: IdempotencyWrite | undefined) {
    if (!idem) return undefined;
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${idem.credentialId} ${idem.key}`}, 0))`;
    const prior = await this.#findIdem(sql, idem.credentialId, idem.key, idem.expiredBefore);
    return prior ? { kind: "replay" as const, response: prior } : undefined;
  }

  async #saveIdem(sql: Tx, idem: IdempotencyWrite, user: UserRecord, now: string): Promise<void> {
    await sql`DELETE FROM idempotency_keys
      WHERE credential_id = ${idem.credentialId} AND key = ${idem.key} AND created_at < ${idem.expiredBefore}`;
    await sql`INSERT INTO idempotency_keys (credential_id, key, request_hash, status, body, created_at)
      VALUES (${idem.credentialId}, ${idem.key}, ${idem.requestHash}, ${idem.status}, ${idem.render(user)},
        ${now})`;
  }

  async #userById(
    sql: Sql | Tx,
    tenantId: string,
    id: string,
    lock = false,
  ): Promise<UserRecord | undefined> {
    const rows = lock
      ? await sql<UserRow[]>`SELECT ${sql.unsafe(USER_COLUMNS)} FROM users
          WHERE id = ${id} AND tenant_id = ${tenantId} FOR UPDATE`
      : await sql<UserRow[]>`SELECT ${sql.unsafe(USER_COLUMNS)} FROM users
          WHERE id = ${id} AND tenant_id = ${tenantId}`;
    return rows[0] ? userFromRow(rows[0]) : undefined;
  }

  async #existingUser(sql: Tx, tenantId: string, id: string): Promise<UserRecord> {
    const user = await this.#userById(sql, tenantId, id);
    if (!user) throw new Error(`User ${id} vanished inside its own transaction`);
    return user;
  }

  async #createTenant(sql: Tx, input: NewTenant, context: EventContext): Promise<CreatedTenant> {
    const tenant: TenantRecord = { id: newId("ten"), name: input.name, createdAt: input.now };
    const inserted = await sql`INSERT INTO tenants (id, name, created_at)
      VALUES (${tenant.id}, ${tenant.name}, ${tenant.createdAt}) ON CONFLICT (name) DO NOTHING`;
    if (inserted.count !== 1) throw new TenantExistsError(input.name);
    const adminId = newId("usr");
    await sql`INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at, invited_by,
        activated_at)
      VALUES (${adminId}, ${tenant.id}, ${input.adminEmail}, ${emailKey(input.adminEmail)}, 'active', 'admin',
        ${input.now}, ${null}, ${input.now})`;
    const admin = await this.#existingUser(sql, tenant.id, adminId);
    const apiKey: ApiKeyRecord = {
      id: newId("key"),
      tenantId: tenant.id,
      userId: adminId,
      name: "admin",
      scopes: scopesOfRole("admin"),
      createdAt: input.now,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await sql`INSERT INTO api_keys (id, tenant_id, user_id, name, scopes, key_hash, created_at)
      VALUES (${apiKey.id}, ${tenant.id}, ${adminId}, ${apiKey.name}, ${JSON.stringify(apiKey.scopes)},
        ${input.apiKeyHash}, ${input.now})`;
    await recordEvent(
      sql,
      eventOf(context, tenant.id, "tenant.created", tenant.id, input.now, {
        name: tenant.name,
        admin_user_id: adminId,
      }),
    );
    await recordEvent(
      sql,
      eventOf(context, tenant.id, "api_key.created", apiKey.id, input.now, {
        name: apiKey.name,
        scopes: apiKey.scopes,
        user_id: adminId,
        expires_at: null,
      }),
    );
    return { tenant, admin, apiKey };
  }

  setting(key: string, create: () => string): Promise<string> {
    return this.#tx(async (sql) => {
      await sql`INSERT INTO meta (key, value) VALUES (${key}, ${create()}) ON CONFLICT (key) DO NOTHING`;
      const [row] = await sql<{ value: string }[]>`SELECT value FROM meta WHERE key = ${key}`;
      if (!row) throw new Error(`Setting ${key} vanished inside its own transaction`);
      return row.value;
    });
  }

  startUp(input: StartUp): Promise<{ cursorSecret: string }> {
    return startUp(this, this.#url, input);
  }

  bootstrap(input: NewTenant, context: EventContext = SYSTEM_CONTEXT): Promise<boolean> {
    return opening(this.#url, () =>
      this.#tx(async (sql) => {
        // Instances starting together: the first inserts the mark, the others wait for its commit and stop
        // here.
        const marked = await sql`INSERT INTO meta (key, value) VALUES ('bootstrapped_at', ${input.now})
          ON CONFLICT (key) DO NOTHING`;
        if (marked.count !== 1) return false;
        // `server tenant create default` may have run before the first start: then there is nothing to do.
        const [existing] = await sql`SELECT id FROM tenants WHERE name = ${input.name}`;
        if (existing) return false;
        await this.#createTenant(sql, input, context);
        return true;
      }));
  }

  createTenant(input: NewTenant, context: EventContext = SYSTEM_CONTEXT): Promise<CreatedTenant> {
    return this.#tx((sql) => this.#createTenant(sql, input, context));
  }

  getTenant(id: string): Promise<TenantRecord | undefined> {
    return this.#query(async (sql) => {
      const [row] = await sql<{ id: string; name: string; created_at: string }[]>`
        SELECT id, name, created_at FROM tenants WHERE id = ${id}`;
      return row ? { id: row.id, name: row.name, createdAt: row.created_at } : undefined;
    });
  }

  revocations(): Promise<number> {
    // Read on every authenticated request: an instance trusts a cached key only while no instance has
    // revoked anything since, so a key deactivated through another instance is refused on the next request.
    return this.#query(async (sql) => {
      const [row] = await sql<{ value: string }[]>`SELECT value FROM meta WHERE key = 'revocations'`;
      return row ? Number(row.value) : 0;
    });
  }

  findPrincipal(kind: Principal["kind"], tokenHash: string, now: string): Promise<Principal | undefined> {
    return this.#query(async (sql) => {
      if (kind === "api_key") {
        const [row] = await sql<KeyRow[]>`SELECT ${sql.unsafe(KEY_COLUMNS)} FROM api_keys
          WHERE key_hash = ${tokenHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})`;
        if (!row) return undefined;
        return {
          credentialId: row.id,
          kind: "api_key",
          tenantId: row.tenant_id,
          userId: row.user_id,
          scopes: scopesOf(row.scopes),
          credentialName: row.name,
          expiresAt: row.expires_at,
        };
      }
      const [row] = await sql<
        { id: string; tenant_id: string; user_id: string; role: UserRecord["role"]; expires_at: string }[]
      >`
        SELECT s.id, s.tenant_id, s.user_id, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ${tokenHash} AND s.revoked_at IS NULL AND s.expires_at > ${now}
          AND u.status = 'active'`;
      if (!row) return undefined;
      return {
        credentialId: row.id,
        kind: "session",
        tenantId: row.tenant_id,
        userId: row.user_id,
        scopes: scopesOfRole(row.role),
        credentialName: null,
        expiresAt: row.expires_at,
      };
    });
  }

  getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    return this.#query((sql) => this.#userById(sql, tenantId, userId));
  }

  listUsers(query: UserQuery): Promise<UserPageRows> {
    return this.#query(async (sql) => {
      const rows = await sql<UserRow[]>`
        SELECT ${sql.unsafe(USER_COLUMNS)} FROM users
        WHERE tenant_id = ${query.tenantId}
          ${query.status === undefined ? sql`` : sql`AND status = ${query.status}`}
          ${query.role === undefined ? sql`` : sql`AND role = ${query.role}`}
          ${query.emailKey === undefined ? sql`` : sql`AND email_key = ${query.emailKey}`}
          ${
        query.contains === undefined
          ? sql``
          : /^[\x20-\x7e]*$/.test(query.contains)
          ? sql`AND strpos(email_key, ${query.contains}) > 0`
          // A text that is not all ASCII is also looked for in the address as stored, with ASCII case folded
          // (as SQLite's lower() does), so `münchen` finds `z@München.example` as typed.
          : sql`AND (strpos(email_key, ${query.contains}) > 0 OR strpos(translate(email, ${UPPER}, ${LOWER}), ${query.contains}) > 0)`
      }
          AND seq > ${query.afterSeq}
        ORDER BY seq LIMIT ${query.limit + 1}`;
      const more = rows.length > query.limit;
      const page = more ? rows.slice(0, query.limit) : rows;
      const json = page.map((row) => encoder.encode(JSON.stringify(wireUser(userFromRow(row)))));
      const last = page[page.length - 1];
      return { json, lastSeq: last ? Number(last.seq) : 0, more };
    });
  }

  async inviteUser(
    input: NewInvitation,
    idem?: IdempotencyWrite,
    context: EventContext = SYSTEM_CONTEXT,
  ): Promise<InviteResult> {
    // The invitation budget is charged before the transaction (the limits' buckets are rows of this database:
    // charging inside would wait for a second connection while holding one), and given back when the address
    // proves taken (a 409 costs nothing), the request is a replay, or the write fails. A replay found before
    // is answered without charging anything, even with the budget spent.
    if (idem && input.admit) {
      const prior = await this.findIdempotent(idem.credentialId, idem.key, idem.expiredBefore);
      if (prior) return { kind: "replay", response: prior };
    }
    try {
      await input.admit?.();
    } catch (refusal) {
      // A taken address is a 409 whatever the budget, as when the charge is made inside the transaction.
      const [taken] = await this.#query((sql) =>
        sql`SELECT 1 FROM users WHERE tenant_id = ${input.tenantId} AND email_key = ${emailKey(input.email)}
          AND status <> 'inactive'`
      );
      if (taken) throw new EmailTakenError();
      throw refusal;
    }
    let result: InviteResult;
    try {
      result = await this.#invite(input, idem, context);
    } catch (error) {
      await input.unadmit?.();
      throw error;
    }
    if (result.kind === "replay") await input.unadmit?.();
    return result;
  }

  #invite(
    input: NewInvitation,
    idem: IdempotencyWrite | undefined,
    context: EventContext,
  ): Promise<InviteResult> {
    return this.#tx(async (sql): Promise<InviteResult> => {
      const replay = await this.#replayOf(sql, idem);
      if (replay) return replay;
      const id = newId("usr");
      let rows: UserRow[];
      try {
        rows = await sql<UserRow[]>`
          INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at, invited_by)
          VALUES (${id}, ${input.tenantId}, ${input.email}, ${
          emailKey(input.email)
        }, 'pending', ${input.role},
            ${input.now}, ${input.invitedBy})
          RETURNING ${sql.unsafe(USER_COLUMNS)}`;
      } catch (error) {
        // Another transaction (on any instance) holds or took this mailbox: the partial unique index decides.
        if (codeOf(error) === "23505" && constraintOf(error) === "users_live_email") {
          throw new EmailTakenError();
        }
        throw error;
      }
      const [row] = rows;
      if (!row) throw new Error(`User ${id} vanished inside its own transaction`);
      const user = userFromRow(row);
      const invitationId = await this.#queueInvitation(sql, input.tenantId, id, input.now, input.expiresAt);
      await recordEvent(
        sql,
        eventOf(context, input.tenantId, "user.invited", id, input.now, { role: input.role }),
      );
      if (idem) await this.#saveIdem(sql, idem, user, input.now);
      return { kind: "created", user, invitationId };
    });
  }

  resendInvitation(
    tenantId: string,
    userId: string,
    now: string,
    expiresAt: string,
    cooldownSince: string,
    idem?: IdempotencyWrite,
    context: EventContext = SYSTEM_CONTEXT,
  ): Promise<ResendResult> {
    return this.#tx(async (sql): Promise<ResendResult> => {
      const replay = await this.#replayOf(sql, idem);
      if (replay) return replay;
      const user = await this.#userById(sql, tenantId, userId, true);
      if (!user) return { kind: "not_found" };
      if (user.status !== "pending") return { kind: "not_pending", user };
      // The user's row is locked above: two resends racing on two instances cannot both pass the cooldown.
      const [last] = await sql<{ at: string | null }[]>`
        SELECT max(created_at) AS at FROM invitations WHERE user_id = ${userId}`;
      const lastInvitedAt = last?.at ?? null;
      if (lastInvitedAt !== null && lastInvitedAt > cooldownSince) return { kind: "cooldown", lastInvitedAt };
      await sql`UPDATE invitations SET revoked_at = ${now}
        WHERE user_id = ${userId} AND accepted_at IS NULL AND revoked_at IS NULL`;
      const invitationId = await this.#queueInvitation(sql, tenantId, userId, now, expiresAt);
      await recordEvent(sql, eventOf(context, tenantId, "invitation.resent", userId, now));
      if (idem) await this.#saveIdem(sql, idem, user, now);
      return { kind: "done", user, invitationId };
    });
  }

  setRole(
    tenantId: string,
    userId: string,
    newRole: Role,
    now: string,
    idem?: IdempotencyWrite,
    context: EventContext = SYSTEM_CONTEXT,
  ): Promise<SetRoleResult> {
    return this.#tx(async (sql): Promise<SetRoleResult> => {
      const replay = await this.#replayOf(sql, idem);
      if (replay) return replay;
      // The tenant's row is the lock of its admin count, as for deactivations.
      await sql`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
      const user = await this.#userById(sql, tenantId, userId, true);
      if (!user) return { kind: "not_found" };
      if (user.status === "inactive") return { kind: "inactive", user };
      if (user.role === newRole) {
        if (idem) await this.#saveIdem(sql, idem, user, now);
        return { kind: "unchanged", user };
      }
      if (user.role === "admin" && user.status === "active") {
        const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM users
          WHERE tenant_id = ${tenantId} AND role = 'admin' AND status = 'active'`;
        if ((row?.n ?? 0) <= 1) return { kind: "last_admin", user };
      }
      await sql`UPDATE users SET role = ${newRole} WHERE id = ${userId}`;
      let revokedKeys = 0;
      if (scopesOfRole(newRole).length === 0) {
        // A key never holds more than its user's role gives: the keys that carry admin:users go.
        const revoked = await sql`UPDATE api_keys SET revoked_at = ${now}
          WHERE user_id = ${userId} AND revoked_at IS NULL AND scopes::jsonb ? 'admin:users'`;
        revokedKeys = revoked.count;
        if (revokedKeys > 0) await this.#bumpRevocations(sql);
      }
      await recordEvent(
        sql,
        eventOf(context, tenantId, "user.role_changed", userId, now, {
          from: user.role,
          to: newRole,
          revoked_keys: revokedKeys,
        }),
      );
      const updated = await this.#existingUser(sql, tenantId, userId);
      if (idem) await this.#saveIdem(sql, idem, updated, now);
      return { kind: "done", user: updated, previousRole: user.role, revokedKeys };
    });
  }

  deactivateUser(
    tenantId: string,
    userId: string,
    now: string,
    idem?: IdempotencyWrite,
    context: EventContext = SYSTEM_CONTEXT,
  ): Promise<DeactivateResult> {
    return this.#tx(async (sql): Promise<DeactivateResult> => {
      const replay = await this.#replayOf(sql, idem);
      if (replay) return replay;
      // The tenant's row is the lock of its admin count: two admins deactivating each other on two
      // instances are taken one after the other, and the second finds the last admin.
      await sql`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
      const user = await this.#userById(sql, tenantId, userId, true);
      if (!user) return { kind: "not_found" };
      if (user.status !== "inactive") {
        if (user.role === "admin" && user.status === "active") {
          const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM users
            WHERE tenant_id = ${tenantId} AND role = 'admin' AND status = 'active'`;
          if ((row?.n ?? 0) <= 1) return { kind: "last_admin" };
        }
        await sql`UPDATE users SET status = 'inactive', deactivated_at = ${now} WHERE id = ${userId}`;
        await sql`UPDATE sessions SET revoked_at = ${now} WHERE user_id = ${userId} AND revoked_at IS NULL`;
        await sql`UPDATE api_keys SET revoked_at = ${now} WHERE user_id = ${userId} AND revoked_at IS NULL`;
        await sql`UPDATE invitations SET revoked_at = ${now}
          WHERE user_id = ${userId} AND accepted_at IS NULL AND revoked_at IS NULL`;
        await this.#bumpRevocations(sql);
        await recordEvent(sql, eventOf(context, tenantId, "user.deactivated", userId, now));
      }
      const updated = await this.#existingUser(sql, tenantId, userId);
      if (idem) await this.#saveIdem(sql, idem, updated, now);
      return { kind: "done", user: updated };
    });
  }

  acceptInvitation(
    input: AcceptInput,
    context: EventContext = SYSTEM_CONTEXT,
  ): Promise<UserRecord | undefined> {
    return this.#tx(async (sql): Promise<UserRecord | undefined> => {
      const [inv] = await sql<{ id: string; user_id: string; tenant_id: string; expires_at: string }[]>`
        SELECT id, user_id, tenant_id, expires_at FROM invitations
        WHERE token_hash = ${input.tokenHash} AND accepted_at IS NULL AND revoked_at IS NULL`;
      if (!inv || inv.expires_at <= input.now) return undefined;
      // Both updates are conditional, so a second accepter (on this or another instance) changes nothing.
      const accepted = await sql`UPDATE invitations SET accepted_at = ${input.now}
        WHERE id = ${inv.id} AND accepted_at IS NULL AND revoked_at IS NULL`;
      if (accepted.count !== 1) return undefined;
      const activated = await sql`UPDATE users SET status = 'active', activated_at = ${input.now}
        WHERE id = ${inv.user_id} AND status = 'pending'`;
      if (activated.count !== 1) throw new Error("Invitation of a user that is not pending");
      await sql`INSERT INTO sessions (id, tenant_id, user_id, token_hash, created_at, expires_at)
        VALUES (${newId("ses")}, ${inv.tenant_id}, ${inv.user_id}, ${input.sessionHash}, ${input.now},
          ${input.sessionExpiresAt})`;
      // The invitation is the credential of the acceptance; the user is its own actor.
      await recordEvent(
        sql,
        eventOf(
          { ...context, actorUserId: inv.user_id, actorCredentialId: inv.id },
          inv.tenant_id,
          "invitation.accepted",
          inv.user_id,
          input.now,
        ),
      );
      return await this.#userById(sql, inv.tenant_id, inv.user_id);
    });
  }

  createApiKey(input: NewApiKey, context: EventContext = SYSTEM_CONTEXT): Promise<ApiKeyRecord> {
    const key: ApiKeyRecord = {
      id: newId("key"),
      tenantId: input.tenantId,
      userId: input.userId,
      name: input.name,
      scopes: input.scopes,
      createdAt: input.now,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
    };
    return this.#tx(async (sql) => {
      // The owner's row is locked first, so concurrent requests on any instances cannot both take the last place.
      await sql`SELECT id FROM users WHERE id = ${input.userId} FOR UPDATE`;
      const max = input.maxActiveKeys ?? 0;
      if (max > 0) {
        const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM api_keys
          WHERE user_id = ${input.userId} AND revoked_at IS NULL`;
        if ((row?.n ?? 0) >= max) throw new TooManyApiKeysError(max);
      }
      await sql`INSERT INTO api_keys (id, tenant_id, user_id, name, scopes, key_hash, created_at, expires_at)
        VALUES (${key.id}, ${key.tenantId}, ${key.userId}, ${key.name}, ${JSON.stringify(key.scopes)},
          ${input.keyHash}, ${key.createdAt}, ${key.expiresAt})`;
      await recordEvent(
        sql,
        eventOf(context, key.tenantId, "api_key.created", key.id, key.createdAt, {
          name: key.name,
          scopes: key.scopes,
          user_id: key.userId,
          expires_at: key.expiresAt,
        }),
      );
      return key;
    });
  }

  refusedApiKey(tokenHash: string, now: string): Promise<RefusedApiKey | undefined> {
    return this.#query(async (sql): Promise<RefusedApiKey | undefined> => {
      const [row] = await sql<
        { id: string; tenant_id: string; expires_at: string | null; revoked_at: string | null }[]
      >`SELECT id, tenant_id, expires_at, revoked_at FROM api_keys WHERE key_hash = ${tokenHash}`;
      if (!row) return undefined;
      const base = { tenantId: row.tenant_id, credentialId: row.id, expiresAt: row.expires_at };
      if (row.revoked_at !== null) return { reason: "revoked", ...base };
      if (row.expires_at !== null && row.expires_at <= now) return { reason: "expired", ...base };
      return undefined;
    });
  }

  getApiKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    return this.#query(async (sql) => {
      const [row] = await sql<KeyRow[]>`SELECT ${sql.unsafe(KEY_COLUMNS)} FROM api_keys
        WHERE id = ${keyId} AND tenant_id = ${tenantId}`;
      return row ? keyFromRow(row) : undefined;
    });
  }

  listApiKeys(query: ApiKeyQuery): Promise<ApiKeyPage> {
    return this.#query(async (sql): Promise<ApiKeyPage> => {
      const rows = await sql<KeyRow[]>`SELECT ${sql.unsafe(KEY_COLUMNS)} FROM api_keys
        WHERE tenant_id = ${query.tenantId}
          ${query.userId === undefined ? sql`` : sql`AND user_id = ${query.userId}`}
          AND seq > ${query.afterSeq}
        ORDER BY seq LIMIT ${query.limit + 1}`;
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        keys: page.map(keyFromRow),
        lastSeq: last ? Number(last.seq) : 0,
        more: rows.length > query.limit,
      };
    });
  }

  revokeApiKey(input: RevokeApiKey): Promise<RevokeApiKeyResult> {
    return this.#tx(async (sql): Promise<RevokeApiKeyResult> => {
      // The tenant's row is the lock of its last admin key: two revocations on two instances go one by one.
      await sql`SELECT id FROM tenants WHERE id = ${input.tenantId} FOR UPDATE`;
      const [row] = await sql<KeyRow[]>`SELECT ${sql.unsafe(KEY_COLUMNS)} FROM api_keys
        WHERE id = ${input.keyId} AND tenant_id = ${input.tenantId}`;
      if (!row) return { kind: "not_found" };
      const key = keyFromRow(row);
      if (input.ownerId !== undefined && key.userId !== input.ownerId) return { kind: "not_found" };
      if (key.revokedAt !== null) return { kind: "done", key, already: true };
      const live = key.expiresAt === null || key.expiresAt > input.now;
      if (live && key.scopes.includes("admin:users")) {
        const owner = await this.#userById(sql, input.tenantId, key.userId);
        const [count] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM api_keys k JOIN users u ON u.id = k.user_id
          WHERE k.tenant_id = ${input.tenantId} AND k.revoked_at IS NULL
            AND (k.expires_at IS NULL OR k.expires_at > ${input.now})
            AND u.status = 'active' AND k.scopes::jsonb ? 'admin:users'`;
        if (owner?.status === "active" && (count?.n ?? 0) <= 1) return { kind: "last_admin_key" };
      }
      await sql`UPDATE api_keys SET revoked_at = ${input.now} WHERE id = ${key.id} AND revoked_at IS NULL`;
      await this.#bumpRevocations(sql);
      await recordEvent(
        sql,
        eventOf(input.context, input.tenantId, "api_key.revoked", key.id, input.now, {
          name: key.name,
          user_id: key.userId,
        }),
      );
      return { kind: "done", key: { ...key, revokedAt: input.now }, already: false };
    });
  }

  touchApiKeys(uses: readonly ApiKeyUse[]): Promise<void> {
    if (uses.length === 0) return Promise.resolve();
    return this.#tx(async (sql) => {
      for (const use of uses) {
        await sql`UPDATE api_keys SET last_used_at = ${use.at}
          WHERE id = ${use.keyId} AND (last_used_at IS NULL OR last_used_at < ${use.at})`;
      }
    });
  }

  recordAuthFailures(failures: readonly AuthFailureCount[]): Promise<void> {
    if (failures.length === 0) return Promise.resolve();
    return this.#tx((sql) => addAuthFailures(sql, failures));
  }

  listEvents(query: EventQuery): Promise<EventPage> {
    return this.#query((sql) => listEvents(sql, query));
  }

  findIdempotent(credentialId: string, key: string, notBefore: string): Promise<StoredResponse | undefined> {
    return this.#query((sql) => this.#findIdem(sql, credentialId, key, notBefore));
  }

  purgeExpired(now: string, idempotencyBefore: string, eventsBefore?: string): Promise<void> {
    return this.#tx(async (sql) => {
      await sql`DELETE FROM idempotency_keys WHERE created_at < ${idempotencyBefore}`;
      // Expired at `now` as findPrincipal counts it: an expiry at `now` is past.
      await sql`DELETE FROM sessions WHERE expires_at <= ${now} OR revoked_at IS NOT NULL`;
      if (eventsBefore !== undefined) await sql`DELETE FROM events WHERE time < ${eventsBefore}`;
      // One row per client address and key ever seen would otherwise grow without bound.
      await sweepBuckets(sql, Date.parse(now), BUCKET_SWEEP_AFTER_MS);
    });
  }

  /** The database server is the storage: there is no file under the store that could be swapped. */
  verifyStorage(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}

function mapError(error: unknown): unknown {
  if (isConnectionFailure(error)) {
    return new DatabaseUnavailableError(error instanceof Error ? error.message : String(error));
  }
  return error;
}
