import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { UserDetails, UserPage } from "../../src/api/types.ts";
import { seedUsers } from "../../src/server/store/seed.ts";
import { join } from "node:path";
import { listUsersSql, openSqliteStore, searchPlan, trigramSql } from "../../src/server/store/sqlite.ts";
import { tempDir } from "../support/temp_dir.ts";
import { testService } from "./service.ts";

type Problem = { code: string; detail: string };

Deno.test("?email= finds the one mailbox whatever its case, normal form or domain form", async (t) => {
  await using s = await testService();
  seedUsers(s.dbPath, s.tenantId, 300);
  const invited = await s.callJson<UserDetails>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "Zoë.Ω@München.example", role: "member" },
  });
  assert.equal(invited.status, 201);
  const spellings = [
    "Zoë.Ω@München.example",
    "zoë.ω@münchen.example",
    "ZOË.Ω@MÜNCHEN.EXAMPLE",
    "Zoe\u0308.Ω@München.example", // the ë typed as e and a combining diaeresis (NFD)
    "zoë.ω@xn--mnchen-3ya.example",
    "  zoë.ω@münchen.example ",
  ];
  for (const email of spellings) {
    await t.step(JSON.stringify(email), async () => {
      const r = await s.callJson<UserPage>("GET", `/v1/users?email=${encodeURIComponent(email)}`, {
        token: s.apiKey,
      });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { data: [invited.body], next_cursor: null });
    });
  }
  await t.step("another address, or one only containing it, finds nobody", async () => {
    for (const email of ["zoe.ω@münchen.example", "x.zoë.ω@münchen.example"]) {
      const r = await s.callJson<UserPage>("GET", `/v1/users?email=${encodeURIComponent(email)}`, {
        token: s.apiKey,
      });
      assert.deepEqual(r.body, { data: [], next_cursor: null });
    }
  });
});

Deno.test("?email= lists a mailbox's inactive records too, combines with status and role, and pages", async () => {
  await using s = await testService();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const invited = await s.callJson<UserDetails>("POST", "/v1/users", {
      token: s.apiKey,
      json: { email: "ada@example.com", role: i === 2 ? "admin" : "member" },
    });
    ids.push(invited.body.id);
    if (i < 2) await s.call("POST", `/v1/users/${invited.body.id}/deactivate`, { token: s.apiKey });
  }
  const all = await s.callJson<UserPage>("GET", "/v1/users?email=ADA@example.com", { token: s.apiKey });
  assert.deepEqual(all.body.data.map((u) => u.id), ids);
  const live = await s.callJson<UserPage>("GET", "/v1/users?email=ada@example.com&status=pending", {
    token: s.apiKey,
  });
  assert.deepEqual(live.body.data.map((u) => u.id), [ids[2]]);
  const admins = await s.callJson<UserPage>("GET", "/v1/users?email=ada@example.com&role=admin", {
    token: s.apiKey,
  });
  assert.deepEqual(admins.body.data.map((u) => u.id), [ids[2]]);
  const first = await s.callJson<UserPage>("GET", "/v1/users?email=ada@example.com&limit=2", {
    token: s.apiKey,
  });
  assert.deepEqual(first.body.data.map((u) => u.id), ids.slice(0, 2));
  const cursor = first.body.next_cursor ?? "";
  const second = await s.callJson<UserPage>(
    "GET",
    `/v1/users?email=ada@example.com&limit=2&cursor=${encodeURIComponent(cursor)}`,
    { token: s.apiKey },
  );
  assert.deepEqual(second.body, { data: [all.body.data[2]], next_cursor: null });
  // The cursor belongs to that listing: without the filter, or with another address, it is refused.
  for (const query of ["", "&email=bob@example.com", "&q=ada"]) {
    const r = await s.callJson<Problem>("GET", `/v1/users?limit=2${query}&cursor=${cursor}`, {
      token: s.apiKey,
    });
    assert.equal(r.status, 400, query);
    assert.match(r.body.detail, /^Invalid "cursor"/);
  }
});

Deno.test("?q= finds emails containing the text, case-insensitively, and pages through them", async () => {
  await using s = await testService();
  seedUsers(s.dbPath, s.tenantId, 250, { emailDomain: "acme.example" });
  seedUsers(s.dbPath, s.tenantId, 250, { emailDomain: "other.example" });
  seedUsers(s.dbPath, s.tenantId, 40, { emailDomain: "acme.example", status: "pending", role: "admin" });
  const walk = async (query: string) => {
    const users: UserDetails[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/users?${query}${cursor === null ? "" : `&cursor=${cursor}`}`;
      const r = await s.callJson<UserPage>("GET", path, { token: s.apiKey });
      assert.equal(r.status, 200, path);
      users.push(...r.body.data);
      cursor = r.body.next_cursor;
    } while (cursor !== null);
    return users;
  };
  const acme = await walk("q=ACME.Example&limit=60");
  assert.equal(acme.length, 290);
  assert.ok(acme.every((u) => u.email.endsWith("@acme.example")));
  // In creation order, as the whole listing has them.
  const everyone = await walk("limit=1000");
  assert.deepEqual(acme.map((u) => u.id), everyone.filter((u) => u.email.includes("acme")).map((u) => u.id));
  assert.equal((await walk("q=acme&status=pending")).length, 40);
  assert.equal((await walk("q=acme&role=admin&status=pending&limit=7")).length, 40);
  assert.equal((await walk("q=acme&role=member")).length, 250);
  assert.equal((await walk("q=nobody-has-this")).length, 0);
  // Two characters are enough; "r0" is in user0-..., user10-... and so on.
  const r0 = await walk("q=R0");
  assert.ok(r0.length > 0 && r0.every((u) => u.email.toLowerCase().includes("r0")));
});

Deno.test("?q= matches non-ASCII text in any case, and a domain by its A-label too", async () => {
  await using s = await testService();
  const invite = (email: string) =>
    s.callJson<UserDetails>("POST", "/v1/users", { token: s.apiKey, json: { email, role: "member" } });
  const zoe = (await invite("Zoë@München.example")).body;
  await invite("bob@example.com");
  for (const q of ["ZOË", "zoë", "münchen", "xn--mnchen"]) {
    const r = await s.callJson<UserPage>("GET", `/v1/users?q=${encodeURIComponent(q)}`, { token: s.apiKey });
    assert.deepEqual(r.body.data.map((u) => u.id), [zoe.id], q);
  }
});

Deno.test("bad ?q= and ?email= are 400 VALIDATION_ERROR naming the value", async (t) => {
  await using s = await testService();
  const cases: Array<[string, RegExp]> = [
    ["q=a", /^Invalid "q" "a": expected 2 to 254 characters$/],
    ["q=", /^Invalid "q" "": expected 2 to 254 characters$/],
    [`q=${"a".repeat(255)}`, /^Invalid "q" "a+": expected 2 to 254 characters$/],
    ["q=ab&q=cd", /^Query parameter "q" given more than once$/],
    ["email=bob", /^Invalid "email" "bob": no "@"$/],
    ["email=", /^Invalid "email": empty$/],
    [
      "mail=bob@example.com",
      /^Unknown query parameter "mail": expected limit, cursor, status, role, email or q$/,
    ],
  ];
  for (const [query, detail] of cases) {
    await t.step(query.slice(0, 30), async () => {
      const r = await s.callJson<Problem>("GET", `/v1/users?${query}`, { token: s.apiKey });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, "VALIDATION_ERROR");
      assert.match(r.body.detail, detail);
    });
  }
});

Deno.test("?email= and ?q= stay within the caller's tenant", async () => {
  await using s = await testService();
  const other = await s.createTenant("other");
  await s.callJson("POST", "/v1/users", { token: other.apiKey, json: { email: "eve@example.com" } });
  for (const query of ["email=eve@example.com", "q=eve"]) {
    const r = await s.callJson<UserPage>("GET", `/v1/users?${query}`, { token: s.apiKey });
    assert.deepEqual(r.body, { data: [], next_cursor: null });
  }
});

Deno.test("search text is plain text: quotes and full-text syntax match themselves", async () => {
  await using s = await testService();
  const invite = (email: string) =>
    s.callJson<UserDetails>("POST", "/v1/users", { token: s.apiKey, json: { email, role: "member" } });
  const star = (await invite("a*b@example.com")).body;
  const plus = (await invite("x+tag@example.com")).body;
  const cases: Array<[string, string[]]> = [
    ['a"b', []],
    ["a*b", [star.id]],
    ["+tag", [plus.id]],
    ["tag OR a", []],
    ["NEAR(", []],
    ["^x+", []],
  ];
  for (const [q, ids] of cases) {
    const r = await s.callJson<UserPage>("GET", `/v1/users?q=${encodeURIComponent(q)}`, { token: s.apiKey });
    assert.equal(r.status, 200, q);
    assert.deepEqual(r.body.data.map((u) => u.id), ids, q);
  }
});

Deno.test("the trigram index follows every write: invite, a changed email key, a deleted row", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "t.db");
  const store = openSqliteStore(path);
  const { tenant } = await store.createTenant({
    name: "t",
    adminEmail: "admin@t.invalid",
    apiKeyHash: "x",
    now: new Date().toISOString(),
  });
  const now = new Date().toISOString();
  const query = (contains: string) =>
    store.listUsers({
      tenantId: tenant.id,
      status: undefined,
      role: undefined,
      contains,
      afterSeq: 0,
      limit: 10,
    });
  await store.inviteUser({
    tenantId: tenant.id,
    email: "grace@hopper.example",
    role: "member",
    invitedBy: "usr_x",
    now,
    expiresAt: now,
  });
  assert.equal((await query("hopper")).json.length, 1);
  await store.close();
  const db = new DatabaseSync(path);
  db.exec("UPDATE users SET email_key = 'grace@navy.example' WHERE email_key = 'grace@hopper.example'");
  db.close();
  const again = openSqliteStore(path);
  const find = (contains: string) =>
    again.listUsers({
      tenantId: tenant.id,
      status: undefined,
      role: undefined,
      contains,
      afterSeq: 0,
      limit: 10,
    });
  assert.equal((await find("hopper")).json.length, 0);
  assert.equal((await find("navy.ex")).json.length, 1);
  await again.close();
  const db2 = new DatabaseSync(path);
  db2.exec(
    "PRAGMA foreign_keys = OFF; DELETE FROM invitation_outbox; DELETE FROM invitations; " +
      "DELETE FROM users WHERE email_key = 'grace@navy.example'",
  );
  assert.deepEqual(
    db2.prepare("SELECT rowid FROM users_search WHERE users_search MATCH '\"navy\"'").all(),
    [],
  );
  db2.close();
});

Deno.test("the email and search queries read their migration-6 indexes, never the table in full", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "plan.db");
  await openSqliteStore(path).close();
  const db = new DatabaseSync(path);
  const plan = (sql: string) => {
    const count = (sql.match(/\?/g) ?? []).length;
    return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(count).fill("x")).map((r) => String(r.detail))
      .join("\n");
  };
  for (const status of [false, true]) {
    for (const role of [false, true]) {
      for (
        const match of [
          { email: true },
          { contains: true },
          { contains: true, unicode: true },
          { email: true, contains: true },
        ]
      ) {
        const text = plan(listUsersSql(status, role, match));
        const index = match.email ? "users_tenant_email_key_seq" : "users_tenant_seq_search";
        assert.match(text, new RegExp(`USING (COVERING )?INDEX ${index} \\(tenant_id=\\?`), text);
        assert.doesNotMatch(text, /TEMP B-TREE/, `no sort: ${text}`);
      }
      const trigram = plan(trigramSql(status, role));
      assert.match(trigram, /SCAN s VIRTUAL TABLE INDEX/, trigram);
      assert.match(trigram, /SEARCH u USING INTEGER PRIMARY KEY/, trigram);
      assert.doesNotMatch(trigram, /TEMP B-TREE/, `no sort: ${trigram}`);
    }
  }
  assert.equal(searchPlan("acme", false), "trigram");
  assert.equal(searchPlan("ac", false), "scan");
  assert.equal(searchPlan("münchen", false), "scan");
  assert.equal(searchPlan("acme", true), "scan");
  db.close();
});
