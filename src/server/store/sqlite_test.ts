import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { integer, text } from "./row.ts";
import { tempDir } from "../../../tests/support/temp_dir.ts";
import { MIGRATIONS } from "./migrations.ts";
import { configureConnection, openSqliteStore, type SqliteStore } from "./sqlite.ts";
import type { UserQuery } from "./types.ts";
import { wireUser } from "../wire.ts";

Deno.test("every connection runs in WAL mode with synchronous=FULL: each acknowledged commit is durable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-pragmas-" });
  const path = join(dir, "phyware.db");
  const db = new DatabaseSync(path);
  try {
    configureConnection(db, path, 100);
    const journal = db.prepare("PRAGMA journal_mode").get();
    assert.equal(journal && text(journal, "journal_mode"), "wal");
    const synchronous = db.prepare("PRAGMA synchronous").get();
    assert.equal(synchronous && integer(synchronous, "synchronous"), 2, "2 is FULL");
    const keys = db.prepare("PRAGMA foreign_keys").get();
    assert.equal(keys && integer(keys, "foreign_keys"), 1);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a database of schema 1 gains the invitation outbox when opened, keeping its data", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "old.db");
  const old = new DatabaseSync(path);
  old.exec(MIGRATIONS[0] ?? "");
  old.exec("PRAGMA user_version = 1");
  old.exec("INSERT INTO tenants (id, name, created_at) VALUES ('ten_1', 'old', '2026-01-01T00:00:00.000Z')");
  old.close();
  const store = openSqliteStore(path);
  try {
    assert.equal((await store.getTenant("ten_1"))?.name, "old");
    assert.equal(await store.outbox.pendingCount(), 0);
  } finally {
    await store.close();
  }
  const db = new DatabaseSync(path);
  try {
    const version = db.prepare("PRAGMA user_version").get();
    assert.equal(version && integer(version, "user_version"), MIGRATIONS.length);
  } finally {
    db.close();
  }
});

Deno.test("a database of schema 2 gains each user's stored API JSON, keeping users and what refers to them", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "old.db");
  const old = new DatabaseSync(path);
  old.exec(`${MIGRATIONS[0]}${MIGRATIONS[1]} PRAGMA user_version = 2;`);
  old.exec(`
    INSERT INTO tenants (id, name, created_at) VALUES ('ten_1', 'old', '2026-01-01T00:00:00.000Z');
    INSERT INTO users (seq, id, tenant_id, email, email_key, status, role, created_at, invited_by, activated_at)
      VALUES (7, 'usr_1', 'ten_1', 'Ann@Example.com', 'ann@example.com', 'active', 'admin',
        '2026-01-01T00:00:00.000Z', NULL, '2026-01-02T00:00:00.000Z');
    INSERT INTO api_keys (id, tenant_id, user_id, name, scopes, key_hash, created_at)
      VALUES ('key_1', 'ten_1', 'usr_1', 'ci', '["users:read"]', 'h1', '2026-01-01T00:00:00.000Z');`);
  old.close();
  const store = openSqliteStore(path);
  try {
    const user = await store.getUser("ten_1", "usr_1");
    assert.ok(user);
    const page = await store.listUsers({
      tenantId: "ten_1",
      status: undefined,
      role: undefined,
      afterSeq: 0,
      limit: 10,
    });
    assert.deepEqual(page.json.map((bytes) => new TextDecoder().decode(bytes)), [
      JSON.stringify(wireUser(user)),
    ]);
    assert.deepEqual([page.lastSeq, page.more], [7, false]);
    assert.equal((await store.findPrincipal("api_key", "h1", "2026-01-03T00:00:00.000Z"))?.userId, "usr_1");
  } finally {
    await store.close();
  }
  using db = new DatabaseSync(path);
  const version = db.prepare("PRAGMA user_version").get();
  assert.equal(version && integer(version, "user_version"), MIGRATIONS.length);
  assert.deepEqual(db.prepare("PRAGMA foreign_key_check").all(), []);
  const indexes = db.prepare(
    "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL ORDER BY name",
  ).all().map((row) => text(row, "name"));
  assert.deepEqual(indexes, [
    "users_live_email",
    "users_tenant_email_key_seq",
    "users_tenant_role_seq",
    "users_tenant_seq",
    "users_tenant_seq_search",
    "users_tenant_status_seq",
  ]);
});

const NOW = "2026-03-01T10:00:00.000Z";

/** A tenant in `store` (its admin is `adminEmail`), a way to invite into it, and its pages as text. */
async function tenantOf(store: SqliteStore, adminEmail: string) {
  const { tenant, admin } = await store.createTenant({ name: "t", adminEmail, apiKeyHash: "h", now: NOW });
  const invite = (email: string) =>
    store.inviteUser({
      tenantId: tenant.id,
      email,
      role: "member",
      invitedBy: admin.id,
      now: NOW,
      expiresAt: NOW,
    });
  const list = (query: Partial<UserQuery> = {}) =>
    store.listUsers({
      tenantId: tenant.id,
      status: undefined,
      role: undefined,
      afterSeq: 0,
      limit: 10,
      ...query,
    });
  const page = async (query: Partial<UserQuery> = {}) =>
    (await list(query)).json.map((bytes) => new TextDecoder().decode(bytes));
  return { tenant, invite, list, page };
}

Deno.test("a listed user's JSON is byte for byte what wireUser gives, through every change of the user", async () => {
  const store = openSqliteStore(":memory:");
  try {
    const { tenant, invite, page } = await tenantOf(store, "admin@t.test");
    const emails = [
      "o'hara+tag@example.com",
      'quote"back\\slash@example.com',
      "zoë@exämple.com",
      "ctl\u0001\u001f\u2028@x.test",
    ];
    for (const email of emails) await invite(email);
    const expected = async () => {
      const json: string[] = [];
      for (const listed of await page()) {
        const user = await store.getUser(tenant.id, (JSON.parse(listed) as { id: string }).id);
        assert.ok(user);
        json.push(JSON.stringify(wireUser(user)));
      }
      return json;
    };
    assert.equal((await page()).length, 5);
    assert.deepEqual(await page(), await expected());
    const second = JSON.parse((await page())[1] ?? "{}") as { id: string };
    await store.deactivateUser(tenant.id, second.id, "2026-03-02T10:00:00.000Z");
    const after = JSON.parse((await page())[1] ?? "{}") as { status: string; deactivated_at: string };
    assert.deepEqual([after.status, after.deactivated_at], ["inactive", "2026-03-02T10:00:00.000Z"]);
    assert.deepEqual(await page(), await expected());
  } finally {
    await store.close();
  }
});

Deno.test("a page is kept between writes, and never served after a write by this process or another", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "pages.db");
  const store = openSqliteStore(path);
  try {
    const { invite, list, page } = await tenantOf(store, "a@t.test");
    await invite("b@t.test");
    const emails = async (query: Partial<UserQuery> = {}) =>
      (await page(query)).map((json) => (JSON.parse(json) as { email: string }).email);
    const pending = { status: "pending" } as const;

    const first = await list();
    assert.equal((await list()).json, first.json, "the same page, kept");
    assert.notEqual(
      (await list({ afterSeq: 1 })).json,
      (await list({ afterSeq: 1 })).json,
      "only first pages",
    );
    assert.deepEqual(await emails(pending), ["b@t.test"], "another query is another page");

    await invite("c@t.test");
    assert.notEqual((await list()).json, first.json);
    assert.deepEqual(await emails(), ["a@t.test", "b@t.test", "c@t.test"]);
    assert.deepEqual(await emails(pending), ["b@t.test", "c@t.test"]);

    using other = new DatabaseSync(path);
    other.exec("UPDATE users SET email = 'b2@t.test' WHERE email = 'b@t.test'");
    assert.deepEqual(await emails(), ["a@t.test", "b2@t.test", "c@t.test"], "another connection committed");
    other.exec("UPDATE users SET status = 'active' WHERE email = 'c@t.test'");
    assert.deepEqual(await emails(pending), ["b2@t.test"]);
  } finally {
    await store.close();
  }
});
