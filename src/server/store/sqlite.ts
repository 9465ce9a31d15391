/** The SQLite engine of the store, through `node:sqlite` (the same on Deno and Bun). */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { emailKey } from "../../email/key.ts";
import { ADMIN_USERS_SCOPE } from "../../wire/mod.ts";
import { hashSecret, newId, newSecret, SECRET_PREFIX } from "../ids.ts";
import { emailKeysCurrent, rekeyEmails } from "./email_keys.ts";
import { DEFAULT_LOCK_WAIT_MS, retryWhileBusy } from "./lock_wait.ts";
import { scopesOfRole } from "../scopes.ts";
import { preparePrivateDatabase } from "./files.ts";
import { FileIdentity } from "./file_identity.ts";
import { MIGRATIONS } from "./migrations.ts";
import { opening, SchemaTooNewError } from "./open_error.ts";
import { startUp } from "./start_up.ts";
import { PageCache } from "./page_cache.ts";
import { SqliteOutbox } from "./sqlite_outbox.ts";
import { eventOf, SqliteEvents } from "./sqlite_events.ts";
import { transaction } from "./transaction.ts";
import { blob, integer, role, type Row, status, stringList, text, textOrNull } from "./row.ts";
import type { Role } from "../../wire/mod.ts";
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

const ACTIVE_KEYS = "SELECT count(*) AS n FROM api_keys WHERE user_id = ? AND revoked_at IS NULL";

/** The columns an API key row is read with, in the order `keyFromRow` expects (never the hash). */
const KEY_COLUMNS =
  "seq, id, tenant_id, user_id, name, scopes, created_at, expires_at, last_used_at, revoked_at";

function keyFromRow(row: Row): ApiKeyRecord {
  return {
    id: text(row, 1),
    tenantId: text(row, 2),
    userId: text(row, 3),
    name: text(row, 4),
    scopes: stringList(row, 5),
    createdAt: text(row, 6),
    expiresAt: textOrNull(row, 7),
    lastUsedAt: textOrNull(row, 8),
    revokedAt: textOrNull(row, 9),
  };
}

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** How long opening and migrating wait for another process's lock before failing. */
  busyTimeoutMs?: number;
  /** How long a later read or write waits, off the event loop, for another process's lock. */
  lockWaitMs?: number;
}

/**
 * What the first pages kept between writes may hold (one per tenant, filter and page size; a full page of 100
 * is about 24 KB). Only a first page is kept: that is the page clients read again (an agent polling for a
 * new user, a dashboard), until the next write by anyone (see PageCache). A client walking the pages reads
 * each once, and keeping those only churned memory: in the bench's walk of 1,000 pages, 196 instead of 175
 * us a page and a peak RSS of 204 instead of 81 MiB (bench/RESULTS.md).
 */
const PAGE_CACHE_BYTES = 8 * 1024 * 1024;

/** The columns a user row is read with, in the order `userFromRow` expects. */
export const USER_COLUMNS =
  "seq, id, tenant_id, email, status, role, created_at, invited_by, activated_at, deactivated_at";

// User rows are read as arrays (in USER_COLUMNS order): in node:sqlite that is markedly cheaper than one
// object per row (a 100-user page: about 80 µs instead of 240 µs).
function userFromRow(row: Row): UserRecord {
  return {
    seq: integer(row, 0),
    id: text(row, 1),
    tenantId: text(row, 2),
    email: text(row, 3),
    status: status(row, 4),
    role: role(row, 5),
    createdAt: text(row, 6),
    invitedBy: textOrNull(row, 7),
    activatedAt: textOrNull(row, 8),
    deactivatedAt: textOrNull(row, 9),
  };
}

function tenantFromRow(row: Row): TenantRecord {
  return { id: text(row, "id"), name: text(row, "name"), createdAt: text(row, "created_at") };
}

function isUniqueViolation(error: unknown, what: string): boolean {
  return error instanceof Error && error.message.includes("UNIQUE constraint failed") &&
    error.message.includes(what);
}

/** What a page of users is matched on besides tenant, status and role (see UserQuery). */
export interface UserMatch {
  /** By one mailbox's key. */
  email?: boolean;
  /** By text the email contains. */
  contains?: boolean;
  /** The text is not all ASCII: compare the stored address too (a row read per user; see UserQuery). */
  unicode?: boolean;
}

/** Shortest search text the trigram index (`users_search`, migration 6) can find. */
export const TRIGRAM = 3;

/** How `listUsers` finds a search's users: through the trigram index, or by scanning the tenant. */
export function searchPlan(contains: string, email: boolean): "trigram" | "scan" {
  const ascii = /^[\x20-\x7e]*$/.test(contains);
  return ascii && !email && contains.length >= TRIGRAM ? "trigram" : "scan";
}

/** The trigram index's query for a text: one phrase, so its trigrams must follow each other (a substring). */
export function trigramPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The page query of a search through the trigram index (parameters: the phrase, the seq after which to
 * start, the tenant, status and role when filtered, the row count). The index yields matching users of
 * every tenant in seq order and the page stops at its limit, so a common text costs a page's worth and a
 * rare one its few matches (what other tenants' users match is read and passed over).
 */
export function trigramSql(status: boolean, role: boolean): string {
  const where = [
    "users_search MATCH ?",
    "s.rowid > ?",
    "u.tenant_id = ?",
    ...(status ? ["u.status = ?"] : []),
    ...(role ? ["u.role = ?"] : []),
  ];
  return `SELECT u.seq, CAST(u.wire AS BLOB) FROM users_search s JOIN users u ON u.seq = s.rowid WHERE ${
    where.join(" AND ")
  } ORDER BY s.rowid LIMIT ?`;
}

/**
 * The page query of `listUsers` (parameters: tenant, the email key when matched, status and role when
 * filtered, the search text (twice when not ASCII), the seq after which to start, the row count): keyset
 * pagination on an index that ends in seq (or, for a search, starts with it), so every page is an index
 * range. It reads each user's stored API JSON (`wire`, migration 3) as UTF-8 bytes, not its columns: the
 * page is sent as those bytes, so 24 KB of JSON is neither decoded into strings nor encoded back per request.
 * A search that trigramSql cannot serve (shorter than 3 characters, not ASCII, or with `email`) scans
 * `users_tenant_seq_search` (migration 6), whose entries hold every column an ASCII search tests, so only
 * matching users' rows are read.
 */
export function listUsersSql(status: boolean, role: boolean, match: UserMatch = {}): string {
  const index = match.email
    ? "users_tenant_email_key_seq"
    : match.contains
    ? "users_tenant_seq_search"
    : status
    ? "users_tenant_status_seq"
    : role
    ? "users_tenant_role_seq"
    : "users_tenant_seq";
  const where = [
    "tenant_id = ?",
    ...(match.email ? ["email_key = ?"] : []),
    ...(status ? ["status = ?"] : []),
    ...(role ? ["role = ?"] : []),
    ...(match.contains
      ? [
        match.unicode ? "(instr(email_key, ?) > 0 OR instr(lower(email), ?) > 0)" : "instr(email_key, ?) > 0",
      ]
      : []),
    "seq > ?",
  ];
  return `SELECT seq, CAST(wire AS BLOB) FROM users INDEXED BY ${index} WHERE ${
    where.join(" AND ")
  } ORDER BY seq LIMIT ?`;
}

/** Opens (creating when needed) and migrates a SQLite database; `:memory:` is allowed. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (path !== ":memory:") preparePrivateDatabase(path);
  const db = new DatabaseSync(path);
  try {
    // Taken as soon as it is open: a file swapped from here on is noticed.
    const file = path === ":memory:" ? undefined : new FileIdentity(path);
    configureConnection(db, path, options.busyTimeoutMs ?? 5000);
    migrate(db);
    if (!emailKeysCurrent(db)) transaction(db, () => rekeyEmails(db));
    // From here on SQLite never sleeps on a lock: that would stop the event loop (see lock_wait.ts).
    db.exec("PRAGMA busy_timeout = 0");
    return new SqliteStore(db, path, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, file);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The settings of every connection: a busy timeout for opening and migrating, WAL (readers never wait for the
 * writer), and synchronous=FULL: in WAL mode NORMAL keeps every commit across a process crash but may lose
 * the last ones on a power loss; FULL syncs the WAL at each commit, so every 201 is durable. The cost is one
 * fdatasync per write transaction (see bench/RESULTS.md, "Durable commits").
 */
export function configureConnection(db: DatabaseSync, path: string, busyTimeoutMs: number): void {
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  if (path !== ":memory:") {
    const mode = db.prepare("PRAGMA journal_mode = WAL").get();
    const journal = mode === undefined ? "none" : text(mode, "journal_mode");
    if (journal.toLowerCase() !== "wal") {
      throw new Error(`Cannot switch "${path}" to WAL mode: got ${journal}`);
    }
  }
  db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY");
}

function userVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get();
  return row === undefined ? 0 : integer(row, "user_version");
}

// Foreign keys are off while migrations run (a migration may rebuild a table others refer to, which SQLite's
// documented procedure requires), and checked before the migration commits.
function migrate(db: DatabaseSync): void {
  if (userVersion(db) > MIGRATIONS.length) throw new SchemaTooNewError(userVersion(db));
  if (userVersion(db) === MIGRATIONS.length) return;
  db.exec("PRAGMA foreign_keys = OFF");
  try {
    transaction(db, () => {
      // Another process may have migrated while this one waited for the lock.
      for (let v = userVersion(db); v < MIGRATIONS.length; v++) {
        db.exec(MIGRATIONS[v] ?? "");
        db.exec(`PRAGMA user_version = ${v + 1}`);
      }
      const broken = db.prepare("PRAGMA foreign_key_check").all().length;
      if (broken > 0) throw new Error(`Migration left ${broken} rows with a broken foreign key; rolled back`);
    });
  } finally {
    db.exec("PRAGMA foreign_keys = ON");
  }
}

function prepareStatements(db: DatabaseSync) {
  const p = (sql: string) => db.prepare(sql);
  const arrays = (sql: string) => {
    const statement = db.prepare(sql);
    statement.setReturnArrays(true);
    return statement;
  };
  return {
    getMeta: p("SELECT value FROM meta WHERE key = ?"),
    bumpRevocations: p(
      `INSERT INTO meta (key, value) VALUES ('revocations', '1')
       ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
    ),
    dataVersion: p("PRAGMA data_version"),
    // What the page cache's entries are valid for: commits by other connections, then rows this one changed.
    stamp: arrays("SELECT data_version, total_changes() FROM pragma_data_version"),
    putMeta: p("INSERT INTO meta (key, value) VALUES (?, ?)"),
    insertTenant: p("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)"),
    tenantByName: p("SELECT id, name, created_at FROM tenants WHERE name = ?"),
    tenantById: p("SELECT id, name, created_at FROM tenants WHERE id = ?"),
    insertUser: p(
      `INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at, invited_by, activated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    userById: arrays(`SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND tenant_id = ?`),
    userBySeq: arrays(`SELECT ${USER_COLUMNS} FROM users WHERE seq = ?`),
    insertKey: p(
      `INSERT INTO api_keys (id, tenant_id, user_id, name, scopes, key_hash, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    keyByHash: arrays(
      `SELECT id, tenant_id, user_id, scopes, name, expires_at FROM api_keys
       WHERE key_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    ),
    refusedKeyByHash: arrays(
      "SELECT id, tenant_id, expires_at, revoked_at FROM api_keys WHERE key_hash = ?",
    ),
    keyById: arrays(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ? AND tenant_id = ?`),
    keysOfTenant: arrays(
      `SELECT ${KEY_COLUMNS} FROM api_keys INDEXED BY api_keys_tenant_seq
       WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    keysOfUser: arrays(
      `SELECT ${KEY_COLUMNS} FROM api_keys INDEXED BY api_keys_tenant_user_seq
       WHERE tenant_id = ? AND user_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    revokeKey: p("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
    // Live keys of active users that hold admin:users: the tenant's way in when no admin has a session.
    liveAdminKeys: p(
      `SELECT count(*) AS n FROM api_keys k JOIN users u ON u.id = k.user_id
       WHERE k.tenant_id = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)
         AND u.status = 'active' AND EXISTS (SELECT 1 FROM json_each(k.scopes) WHERE value = ?)`,
    ),
    touchKey: p(
      "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    ),
    sessionByHash: p(
      `SELECT s.id, s.tenant_id, s.user_id, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.status = 'active'`,
    ),
    insertSession: p(
      `INSERT INTO sessions (id, tenant_id, user_id, token_hash, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertInvitation: p(
      `INSERT INTO invitations (id, tenant_id, user_id, token_hash, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    invitationByHash: p(
      "SELECT id, user_id, tenant_id, expires_at, accepted_at, revoked_at FROM invitations WHERE token_hash = ?",
    ),
    lastInvitation: p("SELECT max(created_at) AS at FROM invitations WHERE user_id = ?"),
    acceptInvitation: p(
      "UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
    ),
    activateUser: p(
      "UPDATE users SET status = 'active', activated_at = ? WHERE id = ? AND status = 'pending'",
    ),
    activeAdmins: p(
      "SELECT count(*) AS n FROM users WHERE tenant_id = ? AND role = 'admin' AND status = 'active'",
    ),
    setRole: p("UPDATE users SET role = ? WHERE id = ?"),
    // The keys of a user that carry admin:users (scopes are a JSON array of strings).
    revokeAdminKeys: p(
      `UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL
       AND EXISTS (SELECT 1 FROM json_each(api_keys.scopes) WHERE value = 'admin:users')`,
    ),
    deactivateUser: p("UPDATE users SET status = 'inactive', deactivated_at = ? WHERE id = ?"),
    revokeSessions: p("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"),
    revokeKeys: p("UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"),
    revokeInvitations: p(
      "UPDATE invitations SET revoked_at = ? WHERE user_id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
    ),
    findIdem: p(
      `SELECT request_hash, status, body FROM idempotency_keys
       WHERE credential_id = ? AND key = ? AND created_at >= ?`,
    ),
    dropExpiredIdem: p(
      "DELETE FROM idempotency_keys WHERE credential_id = ? AND key = ? AND created_at < ?",
    ),
    insertIdem: p(
      `INSERT INTO idempotency_keys (credential_id, key, request_hash, status, body, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    purgeIdem: p("DELETE FROM idempotency_keys WHERE created_at < ?"),
    // Expired at `now` as findPrincipal counts it: an expiry at `now` is past.
    purgeSessions: p("DELETE FROM sessions WHERE expires_at <= ? OR revoked_at IS NOT NULL"),
  };
}

/**
 * The Store on one SQLite connection; every write is a transaction. Statements are prepared once, except
 * createApiKey's count of active keys, prepared on each (rare) call.
 */
export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #s: ReturnType<typeof prepareStatements>;
  readonly #list: Map<string, StatementSync> = new Map();
  readonly #pages = new PageCache<{ page: UserPageRows; size: number }>(PAGE_CACHE_BYTES);
  readonly #lockWaitMs: number;
  readonly #outbox: SqliteOutbox;
  readonly #events: SqliteEvents;
  #closed = false;
  // The revocation counter as last read, and the data_version it was read at (-1: read it again).
  #revocations = 0;
  #dataVersion = -1;

  readonly #file: FileIdentity | undefined;
  readonly #location: string;

  /**
   * `location`: the file (or `:memory:`) a DatabaseOpenError names; `lockWaitMs`: how long a read or write
   * waits for another process's lock before DatabaseBusyError; `file`: the database file's identity, checked
   * around every write (none for `:memory:`).
   */
  constructor(db: DatabaseSync, location: string, lockWaitMs = DEFAULT_LOCK_WAIT_MS, file?: FileIdentity) {
    this.#db = db;
    this.#location = location;
    this.#file = file;
    this.#s = prepareStatements(db);
    this.#lockWaitMs = lockWaitMs;
    this.#outbox = new SqliteOutbox(db, lockWaitMs);
    this.#events = new SqliteEvents(db);
  }

  get outbox(): SqliteOutbox {
    return this.#outbox;
  }

  // A new invitation and its queued email. Its token hash is a placeholder nobody holds a token for: the
  // sender mints the real token when the email goes out, so the database never holds a usable token.
  #queueInvitation(tenantId: string, userId: string, now: string, expiresAt: string): string {
    const invitationId = newId("inv");
    const placeholder = hashSecret(newSecret(SECRET_PREFIX.invitation));
    this.#s.insertInvitation.run(invitationId, tenantId, userId, placeholder, now, expiresAt);
    this.#outbox.enqueue(invitationId, now);
    return invitationId;
  }

  // Every public method runs through #read or #tx, so a SQLite error (busy, closed, full) is a rejection the
  // caller can catch, never a synchronous throw out of a promise-returning method; a busy database is
  // waited for on timers, never inside SQLite.
  // The file is checked before the write and after its commit: a write that went into a deleted or replaced
  // file is never acknowledged (DatabaseFileLostError, a 503).
  #tx<T>(fn: () => T): Promise<T> {
    return this.#read(() => {
      this.#file?.check();
      const result = transaction(this.#db, fn);
      this.#file?.check();
      return result;
    });
  }

  verifyStorage(): Promise<void> {
    return Promise.try(() => this.#file?.check());
  }

  #read<T>(fn: () => T): Promise<T> {
    return retryWhileBusy(fn, { waitMs: this.#lockWaitMs });
  }

  #listStatement(status: boolean, role: boolean, match: UserMatch | "trigram"): StatementSync {
    const name = match === "trigram"
      ? `${status}:${role}:trigram`
      : `${status}:${role}:${match.email === true}:${match.contains === true}:${match.unicode === true}`;
    let stmt = this.#list.get(name);
    if (!stmt) {
      stmt = this.#db.prepare(
        match === "trigram" ? trigramSql(status, role) : listUsersSql(status, role, match),
      );
      stmt.setReturnArrays(true);
      this.#list.set(name, stmt);
    }
    return stmt;
  }

  #findIdem(credentialId: string, key: string, notBefore: string): StoredResponse | undefined {
    const row = this.#s.findIdem.get(credentialId, key, notBefore);
    if (!row) return undefined;
    return {
      requestHash: text(row, "request_hash"),
      status: integer(row, "status"),
      body: text(row, "body"),
    };
  }

  // The stored answer of an idempotent write already done under the same key, inside the write's transaction.
  #replayOf(idem: IdempotencyWrite | undefined): { kind: "replay"; response: StoredResponse } | undefined {
    const prior = idem && this.#findIdem(idem.credentialId, idem.key, idem.expiredBefore);
    return prior ? { kind: "replay", response: prior } : undefined;
  }

  #saveIdem(idem: IdempotencyWrite, user: UserRecord, now: string): void {
    this.#s.dropExpiredIdem.run(idem.credentialId, idem.key, idem.expiredBefore);
    this.#s.insertIdem.run(
      idem.credentialId,
      idem.key,
      idem.requestHash,
      idem.status,
      idem.render(user),
      now,
    );
  }

  #userById(tenantId: string, id: string): UserRecord | undefined {
    const row = this.#s.userById.get(id, tenantId);
    return row ? userFromRow(row) : undefined;
  }

  // A user this transaction has just written or read: missing means the database changed under us.
  #existingUser(tenantId: string, id: string): UserRecord {
    const user = this.#userById(tenantId, id);
    if (!user) throw new Error(`User ${id} vanished inside its own transaction`);
    return user;
  }

  #createTenant(input: NewTenant, context: EventContext): CreatedTenant {
    const tenant: TenantRecord = { id: newId("ten"), name: input.name, createdAt: input.now };
    try {
      this.#s.insertTenant.run(tenant.id, tenant.name, tenant.createdAt);
    } catch (error) {
      if (isUniqueViolation(error, "tenants.name")) throw new TenantExistsError(input.name);
      throw error;
    }
    const adminId = newId("usr");
    const email = input.adminEmail;
    this.#s.insertUser.run(
      adminId,
      tenant.id,
      email,
      emailKey(email),
      "active",
      "admin",
      input.now,
      null,
      input.now,
    );
    const admin = this.#existingUser(tenant.id, adminId);
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
    this.#s.insertKey.run(
      apiKey.id,
      tenant.id,
      adminId,
      apiKey.name,
      JSON.stringify(apiKey.scopes),
      input.apiKeyHash,
      input.now,
      null,
    );
    this.#events.record(
      eventOf(context, tenant.id, "tenant.created", tenant.id, input.now, {
        name: tenant.name,
        admin_user_id: adminId,
      }),
    );
    this.#events.record(
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
    return Promise.try(() => {
      const existing = this.#s.getMeta.get(key);
      if (existing) return text(existing, "value");
      return this.#tx(() => {
        const again = this.#s.getMeta.get(key);
        if (again) return text(again, "value");
        const value = create();
        this.#s.putMeta.run(key, value);
        return value;
      });
    });
  }

  startUp(input: StartUp): Promise<{ cursorSecret: string }> {
    return startUp(this, this.#location, input);
  }

  bootstrap(input: NewTenant, context: EventContext = SYSTEM_CONTEXT): Promise<boolean> {
    return opening(this.#location, () =>
      this.#tx(() => {
        if (this.#s.getMeta.get("bootstrapped_at")) return false;
        this.#s.putMeta.run("bootstrapped_at", input.now);
        // `server tenant create default` may have run before the first start: then there is nothing to do.
        if (this.#s.tenantByName.get(input.name)) return false;
        this.#createTenant(input, context);
        return true;
      }));
  }

  createTenant(input: NewTenant, context: EventContext = SYSTEM_CONTEXT): Promise<CreatedTenant> {
    return this.#tx(() => this.#createTenant(input, context));
  }

  revocations(): Promise<number> {
    return this.#read(() => {
      // data_version changes only when another connection commits, and reading it costs no I/O: the
      // counter itself is read again only then.
      const version = this.#s.dataVersion.get();
      const dataVersion = version ? integer(version, "data_version") : -1;
      if (dataVersion !== this.#dataVersion || dataVersion === -1) {
        const row = this.#s.getMeta.get("revocations");
        this.#revocations = row ? Number(text(row, "value")) : 0;
        this.#dataVersion = dataVersion;
      }
      return this.#revocations;
    });
  }

  getTenant(id: string): Promise<TenantRecord | undefined> {
    return this.#read(() => {
      const row = this.#s.tenantById.get(id);
      return row ? tenantFromRow(row) : undefined;
    });
  }

  findPrincipal(
    kind: Principal["kind"],
    tokenHash: string,
    now: string,
  ): Promise<Principal | undefined> {
    return this.#read(() =>
      kind === "api_key" ? this.#findApiKey(tokenHash, now) : this.#findSession(tokenHash, now)
    );
  }

  #findApiKey(tokenHash: string, now: string): Principal | undefined {
    const row = this.#s.keyByHash.get(tokenHash, now);
    if (!row) return undefined;
    return {
      credentialId: text(row, 0),
      kind: "api_key",
      tenantId: text(row, 1),
      userId: text(row, 2),
      scopes: stringList(row, 3),
      credentialName: text(row, 4),
      expiresAt: textOrNull(row, 5),
    };
  }

  refusedApiKey(tokenHash: string, now: string): Promise<RefusedApiKey | undefined> {
    return this.#read((): RefusedApiKey | undefined => {
      const row = this.#s.refusedKeyByHash.get(tokenHash);
      if (!row) return undefined;
      const expiresAt = textOrNull(row, 2);
      const base = { tenantId: text(row, 1), credentialId: text(row, 0), expiresAt };
      if (textOrNull(row, 3) !== null) return { reason: "revoked", ...base };
      if (expiresAt !== null && expiresAt <= now) return { reason: "expired", ...base };
      return undefined;
    });
  }

  #findSession(tokenHash: string, now: string): Principal | undefined {
    const row = this.#s.sessionByHash.get(tokenHash, now);
    if (!row) return undefined;
    return {
      credentialId: text(row, "id"),
      kind: "session",
      tenantId: text(row, "tenant_id"),
      userId: text(row, "user_id"),
      scopes: scopesOfRole(role(row, "role")),
      credentialName: null,
      expiresAt: text(row, "expires_at"),
    };
  }

  getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    return this.#read(() => this.#userById(tenantId, userId));
  }

  listUsers(query: UserQuery): Promise<UserPageRows> {
    return this.#read(() => {
      // The stamp is read before the page: a commit in between can only make a kept page look older than it is.
      const first = query.afterSeq === 0;
      const stampRow = first ? this.#s.stamp.get() : undefined;
      const stamp = stampRow ? `${integer(stampRow, 0)}:${integer(stampRow, 1)}` : "";
      // JSON.stringify keeps the email key and the search text apart whatever characters they hold.
      const key = JSON.stringify([
        query.tenantId,
        query.status ?? "",
        query.role ?? "",
        query.limit,
        query.emailKey ?? null,
        query.contains ?? null,
      ]);
      const kept = stamp === "" ? undefined : this.#pages.get(key, stamp);
      if (kept) return kept.page;
      const rows = this.#pageRows(query);
      const more = rows.length > query.limit;
      const count = more ? query.limit : rows.length;
      const json = new Array<Uint8Array>(count);
      let lastSeq = 0;
      let size = 0;
      for (let i = 0; i < count; i++) {
        const row = rows[i] as Row;
        json[i] = blob(row, 1);
        size += json[i]?.length ?? 0;
        lastSeq = integer(row, 0);
      }
      const page = { json, lastSeq, more };
      if (stamp !== "") this.#pages.set(key, { page, size }, stamp);
      return page;
    });
  }

  // The rows of one page (and one more, which says whether another page follows).
  #pageRows(query: UserQuery): Row[] {
    const status = query.status !== undefined;
    const role = query.role !== undefined;
    const filters: string[] = [
      ...(query.status !== undefined ? [query.status] : []),
      ...(query.role !== undefined ? [query.role] : []),
    ];
    const { contains } = query;
    if (contains !== undefined && searchPlan(contains, query.emailKey !== undefined) === "trigram") {
      return this.#listStatement(status, role, "trigram").all(
        trigramPhrase(contains),
        query.afterSeq,
        query.tenantId,
        ...filters,
        query.limit + 1,
      ) as Row[];
    }
    const unicode = contains !== undefined && !/^[\x20-\x7e]*$/.test(contains);
    const match = { email: query.emailKey !== undefined, contains: contains !== undefined, unicode };
    const params: (string | number)[] = [query.tenantId];
    if (query.emailKey !== undefined) params.push(query.emailKey);
    params.push(...filters);
    if (contains !== undefined) params.push(...(unicode ? [contains, contains] : [contains]));
    params.push(query.afterSeq, query.limit + 1);
    return this.#listStatement(status, role, match).all(...params) as Row[];
  }

  inviteUser(
    input: NewInvitation,
    idem?: IdempotencyWrite,
    context: EventContext = SYSTEM_CONTEXT,
  ): Promise<InviteResult> {
    return this.#tx((): InviteResult => {
      const replay = this.#replayOf(idem);
      if (replay) return replay;
      const id = newId("usr");
      let seq: number;
      try {
        seq = Number(
          this.#s.insertUser.run(
            id,
            input.tenantId,
            input.email,
            emailKey(input.email),
            "pending",
            input.role,
            input.now,
            input.invitedBy,
            null,
          ).lastInsertRowid,
        );
      } catch (error) {
        if (isUniqueViolation(error, "users_live_email") || isUniqueViolation(error, "email_key")) {
          throw new EmailTakenError();
        }
        throw error;
      }
      // This store is one process's, whose limits are in memory and answer at once (never a promise).
      if (input.admit?.() instanceof Promise) throw new Error("SQLite's invitation admission is synchronous");
      const invitationId = this.#queueInvitation(input.tenantId, id, input.now, input.expiresAt);
      const row = this.#s.userBySeq.get(seq);
      if (!row) throw new Error(`User ${id} vanished inside its own transaction`);
      const user = userFromRow(row);
      this.#events.record(
        eventOf(context, input.tenantId, "user.invited", id, input.now, { role: input.role }),
      );
      if (idem) this.#saveIdem(idem, user, input.now);
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
    return this.#tx((): ResendResult => {
      const replay = this.#replayOf(idem);
      if (replay) return replay;
      const user = this.#userById(tenantId, userId);
      if (!user) return { kind: "not_found" };
      if (user.status !== "pending") return { kind: "not_pending", user };
      // Read in the write transaction: two resends racing (here or in another process) cannot both pass.
      const last = this.#s.lastInvitation.get(userId);
      const lastInvitedAt = last ? textOrNull(last, "at") : null;
      if (lastInvitedAt !== null && lastInvitedAt > cooldownSince) return { kind: "cooldown", lastInvitedAt };
      this.#s.revokeInvitations.run(now, userId);
      const invitationId = this.#queueInvitation(tenantId, userId, now, expiresAt);
      this.#events.record(eventOf(context, tenantId, "invitation.resent", userId, now));
      if (idem) this.#saveIdem(idem, user, now);
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
    return this.#tx((): SetRoleResult => {
      const replay = this.#replayOf(idem);
      if (replay) return replay;
      const user = this.#userById(tenantId, userId);
      if (!user) return { kind: "not_found" };
      if (user.status === "inactive") return { kind: "inactive", user };
      if (user.role === newRole) {
        if (idem) this.#saveIdem(idem, user, now);
        return { kind: "unchanged", user };
      }
      if (user.role === "admin" && user.status === "active") {
        const row = this.#s.activeAdmins.get(tenantId);
        if (row && integer(row, "n") <= 1) return { kind: "last_admin", user };
      }
      this.#s.setRole.run(newRole, userId);
      let revokedKeys = 0;
      if (scopesOfRole(newRole).length === 0) {
        revokedKeys = Number(this.#s.revokeAdminKeys.run(now, userId).changes);
        if (revokedKeys > 0) {
          this.#s.bumpRevocations.run();
          this.#dataVersion = -1;
        }
      }
      this.#events.record(
        eventOf(context, tenantId, "user.role_changed", userId, now, {
          from: user.role,
          to: newRole,
          revoked_keys: revokedKeys,
        }),
      );
      const updated = this.#existingUser(tenantId, userId);
      if (idem) this.#saveIdem(idem, updated, now);
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
    return this.#tx((): DeactivateResult => {
      const replay = this.#replayOf(idem);
      if (replay) return replay;
      const user = this.#userById(tenantId, userId);
      if (!user) return { kind: "not_found" };
      if (user.status !== "inactive") {
        if (user.role === "admin" && user.status === "active") {
          const row = this.#s.activeAdmins.get(tenantId);
          if (row && integer(row, "n") <= 1) return { kind: "last_admin" };
        }
        this.#s.deactivateUser.run(now, userId);
        this.#s.revokeSessions.run(now, userId);
        this.#s.revokeKeys.run(now, userId);
        this.#s.revokeInvitations.run(now, userId);
        this.#s.bumpRevocations.run();
        // Our own commits leave data_version alone: read the counter afresh next time.
        this.#dataVersion = -1;
        this.#events.record(eventOf(context, tenantId, "user.deactivated", userId, now));
      }
      const updated = this.#existingUser(tenantId, userId);
      if (idem) this.#saveIdem(idem, updated, now);
      return { kind: "done", user: updated };
    });
  }

  acceptInvitation(
    input: AcceptInput,
    context: EventContext = SYSTEM_CONTEXT,
  ): Promise<UserRecord | undefined> {
    return this.#tx((): UserRecord | undefined => {
      const inv = this.#s.invitationByHash.get(input.tokenHash);
      if (!inv || inv.accepted_at !== null || inv.revoked_at !== null) return undefined;
      if (text(inv, "expires_at") <= input.now) return undefined;
      const tenantId = text(inv, "tenant_id");
      const userId = text(inv, "user_id");
      // Both updates are conditional, so a second accepter (here or in another process) changes nothing.
      if (Number(this.#s.acceptInvitation.run(input.now, text(inv, "id")).changes) !== 1) return undefined;
      if (Number(this.#s.activateUser.run(input.now, userId).changes) !== 1) {
        throw new Error("Invitation of a user that is not pending");
      }
      this.#s.insertSession.run(
        newId("ses"),
        tenantId,
        userId,
        input.sessionHash,
        input.now,
        input.sessionExpiresAt,
      );
      // The invitation is the credential of the acceptance; the user is its own actor.
      this.#events.record(
        eventOf(
          { ...context, actorUserId: userId, actorCredentialId: text(inv, "id") },
          tenantId,
          "invitation.accepted",
          userId,
          input.now,
        ),
      );
      return this.#userById(tenantId, userId);
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
    return this.#tx(() => {
      // Counted in the write transaction, so concurrent requests cannot both take the last place.
      const max = input.maxActiveKeys ?? 0;
      if (max > 0 && integer(this.#db.prepare(ACTIVE_KEYS).get(input.userId) ?? {}, "n") >= max) {
        throw new TooManyApiKeysError(max);
      }
      this.#s.insertKey.run(
        key.id,
        key.tenantId,
        key.userId,
        key.name,
        JSON.stringify(key.scopes),
        input.keyHash,
        key.createdAt,
        key.expiresAt,
      );
      this.#events.record(
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

  getApiKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    return this.#read(() => {
      const row = this.#s.keyById.get(keyId, tenantId);
      return row ? keyFromRow(row) : undefined;
    });
  }

  listApiKeys(query: ApiKeyQuery): Promise<ApiKeyPage> {
    return this.#read((): ApiKeyPage => {
      const rows = query.userId === undefined
        ? this.#s.keysOfTenant.all(query.tenantId, query.afterSeq, query.limit + 1)
        : this.#s.keysOfUser.all(query.tenantId, query.userId, query.afterSeq, query.limit + 1);
      const more = rows.length > query.limit;
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { keys: page.map(keyFromRow), lastSeq: last ? integer(last, 0) : 0, more };
    });
  }

  revokeApiKey(input: RevokeApiKey): Promise<RevokeApiKeyResult> {
    return this.#tx((): RevokeApiKeyResult => {
      const row = this.#s.keyById.get(input.keyId, input.tenantId);
      if (!row) return { kind: "not_found" };
      const key = keyFromRow(row);
      if (input.ownerId !== undefined && key.userId !== input.ownerId) return { kind: "not_found" };
      if (key.revokedAt !== null) return { kind: "done", key, already: true };
      const live = key.expiresAt === null || key.expiresAt > input.now;
      if (live && key.scopes.includes(ADMIN_USERS_SCOPE)) {
        const owner = this.#userById(input.tenantId, key.userId);
        const count = this.#s.liveAdminKeys.get(input.tenantId, input.now, ADMIN_USERS_SCOPE);
        if (owner?.status === "active" && count && integer(count, "n") <= 1) {
          return { kind: "last_admin_key" };
        }
      }
      this.#s.revokeKey.run(input.now, key.id);
      this.#s.bumpRevocations.run();
      // Our own commits leave data_version alone: read the counter afresh next time.
      this.#dataVersion = -1;
      this.#events.record(
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
    return this.#tx(() => {
      for (const use of uses) this.#s.touchKey.run(use.at, use.keyId, use.at);
    });
  }

  recordAuthFailures(failures: readonly AuthFailureCount[]): Promise<void> {
    if (failures.length === 0) return Promise.resolve();
    return this.#tx(() => this.#events.addAuthFailures(failures));
  }

  listEvents(query: EventQuery): Promise<EventPage> {
    return this.#read(() => this.#events.list(query));
  }

  findIdempotent(
    credentialId: string,
    key: string,
    notBefore: string,
  ): Promise<StoredResponse | undefined> {
    return this.#read(() => this.#findIdem(credentialId, key, notBefore));
  }

  purgeExpired(now: string, idempotencyBefore: string, eventsBefore?: string): Promise<void> {
    return this.#tx(() => {
      this.#s.purgeIdem.run(idempotencyBefore);
      this.#s.purgeSessions.run(now);
      if (eventsBefore !== undefined) this.#events.purge(eventsBefore);
    });
  }

  close(): Promise<void> {
    return Promise.try(() => {
      if (!this.#closed) {
        this.#closed = true;
        this.#db.close();
      }
    });
  }
}
