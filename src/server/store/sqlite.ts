/** The SQLite engine of the store, through `node:sqlite` (the same on Deno and Bun). */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Role, UserStatus } from "../../api/types.ts";
import { emailKey } from "../email.ts";
import { newId, randomBase62 } from "../ids.ts";
import { scopesOfRole } from "../scopes.ts";
import { MIGRATIONS } from "./migrations.ts";
import {
  type AcceptInput,
  type ApiKeyRecord,
  type CreatedTenant,
  type DeactivateResult,
  EmailTakenError,
  type IdempotencyWrite,
  type InviteResult,
  type NewApiKey,
  type NewInvitation,
  type NewTenant,
  type Principal,
  type SeedOptions,
  type Store,
  type StoredResponse,
  TenantExistsError,
  type TenantRecord,
  type UserQuery,
  type UserRecord,
} from "./types.ts";

type Row = Record<string, unknown>;

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock before failing. */
  busyTimeoutMs?: number;
}

/** Thrown when the database was written by a newer phyware. */
export class SchemaTooNewError extends Error {
  constructor(found: number) {
    super(`Database schema version ${found} is newer than this phyware supports (${MIGRATIONS.length})`);
    this.name = "SchemaTooNewError";
  }
}

const USER_COLUMNS =
  "seq, id, tenant_id, email, status, role, created_at, invited_by, activated_at, deactivated_at";

// User rows are read as arrays (in USER_COLUMNS order): in node:sqlite that is markedly cheaper than one
// object per row (a 100-user page: about 80 µs instead of 240 µs).
function arrayToUser(row: unknown[]): UserRecord {
  return {
    seq: Number(row[0]),
    id: row[1] as string,
    tenantId: row[2] as string,
    email: row[3] as string,
    status: row[4] as UserStatus,
    role: row[5] as Role,
    createdAt: row[6] as string,
    invitedBy: (row[7] ?? null) as string | null,
    activatedAt: (row[8] ?? null) as string | null,
    deactivatedAt: (row[9] ?? null) as string | null,
  };
}

function toTenant(row: Row): TenantRecord {
  return { id: row.id as string, name: row.name as string, createdAt: row.created_at as string };
}

function isUniqueViolation(error: unknown, what: string): boolean {
  const e = error as { errcode?: unknown; message?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : "";
  return message.includes("UNIQUE constraint failed") && message.includes(what);
}

/**
 * The page query of `listUsers` (parameters: tenant, status and role when filtered, the seq after which to
 * start, the row count): keyset pagination on an index that ends in seq, so every page is an index range.
 */
export function listUsersSql(status: boolean, role: boolean): string {
  const index = status ? "users_tenant_status_seq" : role ? "users_tenant_role_seq" : "users_tenant_seq";
  const where = [
    "tenant_id = ?",
    ...(status ? ["status = ?"] : []),
    ...(role ? ["role = ?"] : []),
    "seq > ?",
  ];
  return `SELECT ${USER_COLUMNS} FROM users INDEXED BY ${index} WHERE ${
    where.join(" AND ")
  } ORDER BY seq LIMIT ?`;
}

/** Opens (creating when needed) and migrates a SQLite database; `:memory:` is allowed. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (path !== ":memory:") {
      const mode = db.prepare("PRAGMA journal_mode = WAL").get() as Row | undefined;
      if (String(mode?.journal_mode).toLowerCase() !== "wal") {
        throw new Error(`Cannot switch "${path}" to WAL mode: got ${String(mode?.journal_mode)}`);
      }
    }
    // In WAL mode NORMAL keeps every commit across a process crash; only a power loss may undo the last
    // ones. FULL would fsync on each commit and, with a synchronous driver, stall every request meanwhile.
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY");
    migrate(db);
    return new SqliteStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: DatabaseSync): void {
  const version = () => Number((db.prepare("PRAGMA user_version").get() as Row).user_version);
  if (version() > MIGRATIONS.length) throw new SchemaTooNewError(version());
  if (version() === MIGRATIONS.length) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    // Another process may have migrated while this one waited for the lock.
    for (let v = version(); v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** The Store on one SQLite connection; every statement is prepared once, every write is a transaction. */
export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #s: Record<string, StatementSync>;
  readonly #list: Map<string, StatementSync> = new Map();
  #closed = false;

  constructor(db: DatabaseSync) {
    this.#db = db;
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      getMeta: p("SELECT value FROM meta WHERE key = ?"),
      putMeta: p("INSERT INTO meta (key, value) VALUES (?, ?)"),
      insertTenant: p("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)"),
      tenantByName: p("SELECT id, name, created_at FROM tenants WHERE name = ?"),
      tenantById: p("SELECT id, name, created_at FROM tenants WHERE id = ?"),
      insertUser: p(
        `INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at, invited_by, activated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      userById: p(`SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND tenant_id = ?`),
      userBySeq: p(`SELECT ${USER_COLUMNS} FROM users WHERE seq = ?`),
      insertKey: p(
        `INSERT INTO api_keys (id, tenant_id, user_id, name, scopes, key_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      keyByHash: p(
        "SELECT id, tenant_id, user_id, scopes FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
      ),
      sessionByHash: p(
        `SELECT s.id, s.tenant_id, s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
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
      acceptInvitation: p(
        "UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
      ),
      activateUser: p(
        "UPDATE users SET status = 'active', activated_at = ? WHERE id = ? AND status = 'pending'",
      ),
      activeAdmins: p(
        "SELECT count(*) AS n FROM users WHERE tenant_id = ? AND role = 'admin' AND status = 'active'",
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
      purgeSessions: p("DELETE FROM sessions WHERE expires_at < ? OR revoked_at IS NOT NULL"),
    };
    for (const name of ["userById", "userBySeq", "keyByHash"]) this.#s[name]!.setReturnArrays(true);
  }

  #tx<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  #listStatement(status: boolean, role: boolean): StatementSync {
    const name = `${status}:${role}`;
    let stmt = this.#list.get(name);
    if (!stmt) {
      stmt = this.#db.prepare(listUsersSql(status, role));
      stmt.setReturnArrays(true);
      this.#list.set(name, stmt);
    }
    return stmt;
  }

  #findIdem(credentialId: string, key: string, notBefore: string): StoredResponse | undefined {
    const row = this.#s.findIdem!.get(credentialId, key, notBefore) as Row | undefined;
    if (!row) return undefined;
    return { requestHash: row.request_hash as string, status: Number(row.status), body: row.body as string };
  }

  #saveIdem(idem: IdempotencyWrite, user: UserRecord, now: string): void {
    this.#s.dropExpiredIdem!.run(idem.credentialId, idem.key, idem.expiredBefore);
    this.#s.insertIdem!.run(
      idem.credentialId,
      idem.key,
      idem.requestHash,
      idem.status,
      idem.render(user),
      now,
    );
  }

  #userById(tenantId: string, id: string): UserRecord | undefined {
    const row = this.#s.userById!.get(id, tenantId) as unknown as unknown[] | undefined;
    return row ? arrayToUser(row) : undefined;
  }

  #createTenant(input: NewTenant): CreatedTenant {
    const tenant: TenantRecord = { id: newId("ten"), name: input.name, createdAt: input.now };
    try {
      this.#s.insertTenant!.run(tenant.id, tenant.name, tenant.createdAt);
    } catch (error) {
      if (isUniqueViolation(error, "tenants.name")) throw new TenantExistsError(input.name);
      throw error;
    }
    const adminId = newId("usr");
    const email = input.adminEmail;
    this.#s.insertUser!.run(
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
    const admin = this.#userById(tenant.id, adminId) as UserRecord;
    const apiKey: ApiKeyRecord = {
      id: newId("key"),
      tenantId: tenant.id,
      userId: adminId,
      name: "admin",
      scopes: scopesOfRole("admin"),
      createdAt: input.now,
    };
    this.#s.insertKey!.run(
      apiKey.id,
      tenant.id,
      adminId,
      apiKey.name,
      JSON.stringify(apiKey.scopes),
      input.apiKeyHash,
      input.now,
    );
    return { tenant, admin, apiKey };
  }

  /** Reads a setting, creating it with `create()` the first time (for example the cursor signing key). */
  setting(key: string, create: () => string): Promise<string> {
    const existing = this.#s.getMeta!.get(key) as Row | undefined;
    if (existing) return Promise.resolve(existing.value as string);
    return Promise.resolve(this.#tx(() => {
      const again = this.#s.getMeta!.get(key) as Row | undefined;
      if (again) return again.value as string;
      const value = create();
      this.#s.putMeta!.run(key, value);
      return value;
    }));
  }

  bootstrap(input: NewTenant): Promise<boolean> {
    return Promise.resolve(this.#tx(() => {
      if (this.#s.getMeta!.get("bootstrapped_at")) return false;
      this.#s.putMeta!.run("bootstrapped_at", input.now);
      // `server tenant create default` may have run before the first start: then there is nothing to do.
      if (this.#s.tenantByName!.get(input.name)) return false;
      this.#createTenant(input);
      return true;
    }));
  }

  createTenant(input: NewTenant): Promise<CreatedTenant> {
    return Promise.resolve(this.#tx(() => this.#createTenant(input)));
  }

  findTenantByName(name: string): Promise<TenantRecord | undefined> {
    const row = this.#s.tenantByName!.get(name) as Row | undefined;
    return Promise.resolve(row ? toTenant(row) : undefined);
  }

  getTenant(id: string): Promise<TenantRecord | undefined> {
    const row = this.#s.tenantById!.get(id) as Row | undefined;
    return Promise.resolve(row ? toTenant(row) : undefined);
  }

  /**
   * API keys resolved in the last second, by hash: most requests skip the SQLite lookup. Deactivation in this
   * process clears it, so revocation is immediate here; another process sharing the file may see a revoked
   * key honoured for up to a second.
   */
  readonly #keyCache = new Map<string, { principal: Principal; until: number }>();

  findPrincipal(kind: Principal["kind"], tokenHash: string, now: string): Promise<Principal | undefined> {
    if (kind === "api_key") {
      const cached = this.#keyCache.get(tokenHash);
      const clock = Date.now();
      if (cached && cached.until > clock) return Promise.resolve(cached.principal);
      const principal = this.#findApiKey(tokenHash);
      if (principal) {
        if (this.#keyCache.size >= 1000) this.#keyCache.clear();
        this.#keyCache.set(tokenHash, { principal, until: clock + 1000 });
      }
      return Promise.resolve(principal);
    }
    return this.#findSession(tokenHash, now);
  }

  #findApiKey(tokenHash: string): Principal | undefined {
    const row = this.#s.keyByHash!.get(tokenHash) as unknown as unknown[] | undefined;
    if (!row) return undefined;
    return {
      credentialId: row[0] as string,
      kind: "api_key",
      tenantId: row[1] as string,
      userId: row[2] as string,
      scopes: JSON.parse(row[3] as string) as string[],
    };
  }

  #findSession(tokenHash: string, now: string): Promise<Principal | undefined> {
    const kind = "session";
    const row = this.#s.sessionByHash!.get(tokenHash, now) as Row | undefined;
    if (!row) return Promise.resolve(undefined);
    return Promise.resolve({
      credentialId: row.id as string,
      kind,
      tenantId: row.tenant_id as string,
      userId: row.user_id as string,
      scopes: scopesOfRole(row.role as Role),
    });
  }

  getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    return Promise.resolve(this.#userById(tenantId, userId));
  }

  listUsers(query: UserQuery): Promise<{ users: UserRecord[]; more: boolean }> {
    const stmt = this.#listStatement(query.status !== undefined, query.role !== undefined);
    const params: (string | number)[] = [query.tenantId];
    if (query.status !== undefined) params.push(query.status);
    if (query.role !== undefined) params.push(query.role);
    params.push(query.afterSeq, query.limit + 1);
    const rows = stmt.all(...params) as unknown as unknown[][];
    const more = rows.length > query.limit;
    const count = more ? query.limit : rows.length;
    const users: UserRecord[] = new Array(count);
    for (let i = 0; i < count; i++) users[i] = arrayToUser(rows[i] as unknown[]);
    return Promise.resolve({ users, more });
  }

  inviteUser(input: NewInvitation, idem?: IdempotencyWrite): Promise<InviteResult> {
    return Promise.resolve(this.#tx((): InviteResult => {
      if (idem) {
        const prior = this.#findIdem(idem.credentialId, idem.key, idem.expiredBefore);
        if (prior) return { kind: "replay", response: prior };
      }
      const id = newId("usr");
      let seq: number;
      try {
        seq = Number(
          this.#s.insertUser!.run(
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
      const invitationId = newId("inv");
      this.#s.insertInvitation!.run(
        invitationId,
        input.tenantId,
        id,
        input.tokenHash,
        input.now,
        input.expiresAt,
      );
      const user = arrayToUser(this.#s.userBySeq!.get(seq) as unknown as unknown[]);
      if (idem) this.#saveIdem(idem, user, input.now);
      return { kind: "created", user, invitationId };
    }));
  }

  deactivateUser(
    tenantId: string,
    userId: string,
    now: string,
    idem?: IdempotencyWrite,
  ): Promise<DeactivateResult> {
    const result = this.#tx((): DeactivateResult => {
      if (idem) {
        const prior = this.#findIdem(idem.credentialId, idem.key, idem.expiredBefore);
        if (prior) return { kind: "replay", response: prior };
      }
      const user = this.#userById(tenantId, userId);
      if (!user) return { kind: "not_found" };
      if (user.status !== "inactive") {
        if (user.role === "admin" && user.status === "active") {
          const row = this.#s.activeAdmins!.get(tenantId) as Row;
          if (Number(row.n) <= 1) return { kind: "last_admin" };
        }
        this.#s.deactivateUser!.run(now, userId);
        this.#s.revokeSessions!.run(now, userId);
        this.#s.revokeKeys!.run(now, userId);
        this.#s.revokeInvitations!.run(now, userId);
      }
      const updated = this.#userById(tenantId, userId) as UserRecord;
      if (idem) this.#saveIdem(idem, updated, now);
      return { kind: "done", user: updated };
    });
    // After the commit, so no lookup can cache a key between the revocation and its commit.
    this.#keyCache.clear();
    return Promise.resolve(result);
  }

  acceptInvitation(input: AcceptInput): Promise<UserRecord | undefined> {
    return Promise.resolve(this.#tx((): UserRecord | undefined => {
      const inv = this.#s.invitationByHash!.get(input.tokenHash) as Row | undefined;
      if (!inv || inv.accepted_at !== null || inv.revoked_at !== null) return undefined;
      if ((inv.expires_at as string) <= input.now) return undefined;
      const tenantId = inv.tenant_id as string;
      const userId = inv.user_id as string;
      // Both updates are conditional, so a second accepter (here or in another process) changes nothing.
      if (Number(this.#s.acceptInvitation!.run(input.now, inv.id as string).changes) !== 1) return undefined;
      if (Number(this.#s.activateUser!.run(input.now, userId).changes) !== 1) {
        throw new Error("Invitation of a user that is not pending");
      }
      this.#s.insertSession!.run(
        newId("ses"),
        tenantId,
        userId,
        input.sessionHash,
        input.now,
        input.sessionExpiresAt,
      );
      return this.#userById(tenantId, userId);
    }));
  }

  createApiKey(input: NewApiKey): Promise<ApiKeyRecord> {
    const key: ApiKeyRecord = {
      id: newId("key"),
      tenantId: input.tenantId,
      userId: input.userId,
      name: input.name,
      scopes: input.scopes,
      createdAt: input.now,
    };
    this.#tx(() =>
      this.#s.insertKey!.run(
        key.id,
        key.tenantId,
        key.userId,
        key.name,
        JSON.stringify(key.scopes),
        input.keyHash,
        key.createdAt,
      )
    );
    return Promise.resolve(key);
  }

  findIdempotent(credentialId: string, key: string, notBefore: string): Promise<StoredResponse | undefined> {
    return Promise.resolve(this.#findIdem(credentialId, key, notBefore));
  }

  purgeExpired(now: string, idempotencyBefore: string): Promise<void> {
    this.#tx(() => {
      this.#s.purgeIdem!.run(idempotencyBefore);
      this.#s.purgeSessions!.run(now);
    });
    return Promise.resolve();
  }

  seedUsers(tenantId: string, count: number, options: SeedOptions = {}): Promise<void> {
    const status = options.status ?? "active";
    const role = options.role ?? "member";
    const domain = options.emailDomain ?? "seed.example";
    const batch = randomBase62(8).toLowerCase();
    const now = new Date().toISOString();
    const activatedAt = status === "pending" ? null : now;
    const insert = this.#db.prepare(
      `INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at, activated_at, deactivated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#tx(() => {
      for (let i = 0; i < count; i++) {
        const email = `user${i}-${batch}@${domain}`;
        insert.run(
          newId("usr"),
          tenantId,
          email,
          emailKey(email),
          status,
          role,
          now,
          activatedAt,
          status === "inactive" ? now : null,
        );
      }
    });
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#db.close();
    }
    return Promise.resolve();
  }
}
