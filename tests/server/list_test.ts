import assert from "node:assert/strict";
import type { UserDetails, UserPage } from "../../src/wire/mod.ts";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { seedUsers } from "../../src/server/store/seed.ts";
import { listUsersSql, openSqliteStore } from "../../src/server/store/sqlite.ts";
import { testService } from "./service.ts";
import { tempDir } from "../support/temp_dir.ts";

async function allPages(
  s: Awaited<ReturnType<typeof testService>>,
  query: string,
  token = s.apiKey,
): Promise<{ users: UserDetails[]; pages: number }> {
  const users: UserDetails[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query === "" ? "" : "&";
    const path: string = `/v1/users?${query}${
      cursor === null ? "" : `${sep}cursor=${encodeURIComponent(cursor)}`
    }`;
    const r = await s.callJson<UserPage>("GET", path, { token });
    assert.equal(r.status, 200, path);
    users.push(...r.body.data);
    cursor = r.body.next_cursor;
    pages++;
  } while (cursor !== null);
  return { users, pages };
}

Deno.test("GET /v1/users pages through every user once, in a stable order", async () => {
  await using s = await testService();
  seedUsers(s.dbPath, s.tenantId, 2500);
  const first = await s.callJson<UserPage>("GET", "/v1/users", { token: s.apiKey });
  assert.equal(first.body.data.length, 100, "default limit is 100");
  assert.equal(typeof first.body.next_cursor, "string");
  const { users, pages } = await allPages(s, "limit=1000");
  assert.equal(pages, 3);
  assert.equal(users.length, 2501);
  assert.equal(new Set(users.map((u) => u.id)).size, 2501);
  assert.equal(users[0]!.id, s.adminId, "creation order: the bootstrap admin comes first");
  const again = await allPages(s, "limit=1000");
  assert.deepEqual(again.users.map((u) => u.id), users.map((u) => u.id));
  const exact = await s.callJson<UserPage>("GET", "/v1/users?limit=2501", { token: s.apiKey });
  assert.equal(exact.status, 400, "limit above 1000");
});

Deno.test("the last page has next_cursor null, also when it is exactly full", async () => {
  await using s = await testService();
  seedUsers(s.dbPath, s.tenantId, 3);
  const page = await s.callJson<UserPage>("GET", "/v1/users?limit=4", { token: s.apiKey });
  assert.equal(page.body.data.length, 4);
  assert.equal(page.body.next_cursor, null);
});

Deno.test("status and role filter the listing, and pages stay within the filter", async () => {
  await using s = await testService();
  seedUsers(s.dbPath, s.tenantId, 30, { status: "pending" });
  seedUsers(s.dbPath, s.tenantId, 20, { status: "inactive", role: "admin" });
  seedUsers(s.dbPath, s.tenantId, 10, { status: "active" });
  const pending = await allPages(s, "status=pending&limit=7");
  assert.equal(pending.users.length, 30);
  assert.ok(pending.users.every((u) => u.status === "pending"));
  const admins = await allPages(s, "role=admin&limit=7");
  assert.equal(admins.users.length, 21);
  const inactiveAdmins = await allPages(s, "role=admin&status=inactive&limit=7");
  assert.equal(inactiveAdmins.users.length, 20);
  const active = await allPages(s, "status=active");
  assert.equal(active.users.length, 11);
});

Deno.test("bad list parameters are 400 VALIDATION_ERROR", async (t) => {
  await using s = await testService();
  seedUsers(s.dbPath, s.tenantId, 5);
  const page = await s.callJson<UserPage>("GET", "/v1/users?limit=2", { token: s.apiKey });
  const cursor = page.body.next_cursor!;
  const other = await s.createTenant("other");
  seedUsers(s.dbPath, other.tenantId, 5);
  const foreign = (await s.callJson<UserPage>("GET", "/v1/users?limit=2", { token: other.apiKey })).body
    .next_cursor!;
  const tampered = cursor.slice(0, 5) + (cursor[5] === "A" ? "B" : "A") + cursor.slice(6);
  const cases: Array<[string, string, RegExp]> = [
    ["limit 0", "limit=0", /^Invalid "limit" "0": expected an integer from 1 to 1000$/],
    ["limit 1001", "limit=1001", /Invalid "limit" "1001"/],
    ["negative limit", "limit=-1", /Invalid "limit"/],
    ["fractional limit", "limit=1.5", /Invalid "limit"/],
    ["text limit", "limit=ten", /Invalid "limit"/],
    ["empty limit", "limit=", /Invalid "limit" ""/],
    ["two limits", "limit=1&limit=2", /given more than once/],
    [
      "unknown status",
      "status=deleted",
      /^Invalid "status" "deleted": expected one of "pending", "active", "inactive"$/,
    ],
    ["unknown role", "role=owner", /Invalid "role" "owner"/],
    ["unknown parameter", "sort=email", /^Unknown query parameter "sort"/],
    ["garbage cursor", "cursor=abc", /^Invalid "cursor"/],
    ["tampered cursor", `cursor=${tampered}`, /^Invalid "cursor"/],
    ["cursor with other filters", `cursor=${cursor}&status=active`, /^Invalid "cursor"/],
    ["cursor of another tenant", `cursor=${foreign}`, /^Invalid "cursor"/],
  ];
  for (const [name, query, detail] of cases) {
    await t.step(name, async () => {
      const r = await s.callJson<{ code: string; detail: string }>("GET", `/v1/users?${query}`, {
        token: s.apiKey,
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, "VALIDATION_ERROR");
      assert.match(r.body.detail, detail);
    });
  }
  await t.step("the untampered cursor works", async () => {
    const r = await s.call("GET", `/v1/users?limit=2&cursor=${cursor}`, { token: s.apiKey });
    assert.equal(r.status, 200);
  });
});

// Its timing twin, every page of a 100,000-user tenant, is a benchmark: bench/keyset_pages.ts.
Deno.test("every page query is an index range from the cursor: keyset, no OFFSET, no scan, no sort", async (t) => {
  await using dir = await tempDir("phyware-plan-");
  const db = join(dir.path, "phyware.db");
  const store = openSqliteStore(db);
  const { tenant } = await store.createTenant({
    name: "acme",
    adminEmail: "admin@acme.test",
    apiKeyHash: "h",
    now: new Date().toISOString(),
  });
  await store.close();
  seedUsers(db, tenant.id, 2000);
  using sqlite = new DatabaseSync(db);
  sqlite.exec("ANALYZE");
  for (const [status, role] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    await t.step(`status ${status}, role ${role}`, () => {
      const sql = listUsersSql(status, role);
      assert.doesNotMatch(sql, /\bOFFSET\b/i);
      const params: (string | number)[] = [
        tenant.id,
        ...(status ? ["active"] : []),
        ...(role ? ["member"] : []),
        1500,
        101,
      ];
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((row) => row.detail);
      const index = status ? "users_tenant_status_seq" : role ? "users_tenant_role_seq" : "users_tenant_seq";
      const range = `tenant_id=?${status ? " AND status=?" : role ? " AND role=?" : ""} AND seq>?`;
      assert.deepEqual(plan, [`SEARCH users USING INDEX ${index} (${range})`]);
    });
  }
});
