// Managed API keys against the real server over loopback: listing (admin: the tenant's, member: its own),
// revocation that takes effect at once, expiry with its own 401, and last_used_at written off the request path.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { ApiKey, ApiKeyCreated, ApiKeyPage } from "../../src/api/types.ts";
import { startTestServer } from "../support/server.ts";
import { api, onboard } from "./api_calls.ts";

Deno.test("an admin lists every key of its tenant, a member only its own, never a secret or hash", async () => {
  await using server = await startTestServer();
  const other = await server.createTenant("other");
  const member = await onboard(server, "mia@example.com", "member");
  const mine = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", member.session, {
    name: "mia's laptop",
    scopes: [],
  });
  assert.equal(mine.status, 201);
  const ci = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "ci",
    scopes: ["admin:users"],
  });
  await api(server, "POST", "/v1/api-keys", other.apiKey, { name: "theirs", scopes: [] });

  const all = await api<ApiKeyPage>(server, "GET", "/v1/api-keys", server.apiKey);
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.data.map((k) => k.name), ["admin", "mia's laptop", "ci"]);
  assert.equal(all.body.next_cursor, null);
  for (const key of all.body.data) {
    assert.deepEqual(Object.keys(key), [
      "id",
      "name",
      "scopes",
      "user_id",
      "status",
      "created_at",
      "expires_at",
      "last_used_at",
      "revoked_at",
    ]);
  }
  const text = JSON.stringify(all.body);
  for (const secret of [server.apiKey, mine.body.key, ci.body.key]) assert.ok(!text.includes(secret));
  assert.ok(!text.includes("hash"));

  const own = await api<ApiKeyPage>(server, "GET", "/v1/api-keys", member.session);
  assert.equal(own.status, 200);
  assert.deepEqual(own.body.data.map((k) => [k.name, k.user_id]), [["mia's laptop", member.id]]);

  // Pages of one, following next_cursor; a cursor of the member's listing is no cursor of the admin's.
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const page = await api<ApiKeyPage>(server, "GET", `/v1/api-keys?limit=1${query}`, server.apiKey);
    assert.equal(page.status, 200);
    names.push(...page.body.data.map((k) => k.name));
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  assert.deepEqual(names, ["admin", "mia's laptop", "ci"]);
  const memberFirst = await api<ApiKeyPage>(server, "GET", "/v1/api-keys?limit=1", member.session);
  assert.equal(memberFirst.body.next_cursor, null);
  const adminFirst = await api<ApiKeyPage>(server, "GET", "/v1/api-keys?limit=1", server.apiKey);
  const wrong = await api<{ detail: string }>(
    server,
    "GET",
    `/v1/api-keys?cursor=${adminFirst.body.next_cursor}`,
    member.session,
  );
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.detail, /^Invalid "cursor"/);
  const bad = await api<{ detail: string }>(server, "GET", "/v1/api-keys?status=active", server.apiKey);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.detail, 'Unknown query parameter "status": expected limit or cursor');
});

Deno.test("DELETE /v1/api-keys/{id} refuses the key on its very next request, even just after it was cached", async () => {
  await using server = await startTestServer();
  const ci = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "ci",
    scopes: ["admin:users"],
  });
  for (let i = 0; i < 3; i++) assert.equal((await api(server, "GET", "/v1/me", ci.body.key)).status, 200);
  const revoked = await api<ApiKey>(server, "DELETE", `/v1/api-keys/${ci.body.id}`, server.apiKey);
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.status, "revoked");
  assert.equal(revoked.body.id, ci.body.id);
  assert.ok(revoked.body.revoked_at !== null);
  const refused = await api<{ code: string; detail: string }>(server, "GET", "/v1/me", ci.body.key);
  assert.equal(refused.status, 401);
  assert.deepEqual([refused.body.code, refused.body.detail], [
    "UNAUTHENTICATED",
    "Invalid, expired or revoked credentials",
  ]);
  // Again: the same answer, and nothing more written.
  const again = await api<ApiKey>(server, "DELETE", `/v1/api-keys/${ci.body.id}`, server.apiKey);
  assert.equal(again.status, 200);
  assert.equal(again.body.revoked_at, revoked.body.revoked_at);
  const db = new DatabaseSync(server.dbPath, { readOnly: true });
  try {
    const n = db.prepare("SELECT count(*) AS n FROM events WHERE action = 'api_key.revoked'").get();
    assert.equal(n?.n, 1);
  } finally {
    db.close();
  }
});

Deno.test("revocation: 404 for unknown, malformed, other tenants' and (for a member) other users' keys", async () => {
  await using server = await startTestServer();
  const other = await server.createTenant("other");
  const theirs = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", other.apiKey, {
    name: "theirs",
    scopes: [],
  });
  const member = await onboard(server, "mo@example.com", "member");
  const ci = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "ci",
    scopes: ["admin:users"],
  });
  for (
    const [id, token] of [
      ["key_0000000000000000000000", server.apiKey],
      ["nonsense", server.apiKey],
      [theirs.body.id, server.apiKey],
      [ci.body.id, member.session],
    ] as const
  ) {
    const r = await api<{ code: string; detail: string }>(server, "DELETE", `/v1/api-keys/${id}`, token);
    assert.equal(r.status, 404, id);
    assert.deepEqual([r.body.code, r.body.detail], ["NOT_FOUND", "API key not found"]);
  }
  assert.equal((await api(server, "GET", "/v1/me", ci.body.key)).status, 200);
  assert.equal((await api(server, "GET", "/v1/me", theirs.body.key)).status, 200);
  // A member revokes its own key.
  const own = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", member.session, {
    name: "own",
    scopes: [],
  });
  assert.equal((await api(server, "DELETE", `/v1/api-keys/${own.body.id}`, member.session)).status, 200);
  assert.equal((await api(server, "GET", "/v1/me", own.body.key)).status, 401);
});

Deno.test("the tenant's last live admin:users key cannot be revoked: 409 until another exists", async () => {
  await using server = await startTestServer();
  const me = await api<{ credential: { id: string } }>(server, "GET", "/v1/me", server.apiKey);
  const first = await api<{ code: string; detail: string }>(
    server,
    "DELETE",
    `/v1/api-keys/${me.body.credential.id}`,
    server.apiKey,
  );
  assert.equal(first.status, 409);
  assert.deepEqual([first.body.code, first.body.detail], [
    "CONFLICT",
    "Cannot revoke the tenant's last live admin:users API key: create another one first",
  ]);
  assert.equal((await api(server, "GET", "/v1/me", server.apiKey)).status, 200);
  const next = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "next admin key",
    scopes: ["admin:users"],
  });
  const second = await api(server, "DELETE", `/v1/api-keys/${me.body.credential.id}`, next.body.key);
  assert.equal(second.status, 200);
  assert.equal((await api(server, "GET", "/v1/me", server.apiKey)).status, 401);
});

Deno.test("a key past its expires_at gets a 401 saying it expired, cached or not", async () => {
  let offset = 0;
  await using server = await startTestServer({ now: () => new Date(Date.now() + offset) });
  const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
  const created = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "an hour",
    scopes: ["admin:users"],
    expires_at: expiresAt.toISOString().replace(/\.\d+Z$/, "Z"),
  });
  assert.equal(created.status, 201);
  const stored = new Date(Math.floor(expiresAt.getTime() / 1000) * 1000).toISOString();
  assert.equal(created.body.expires_at, stored);
  assert.equal((await api(server, "GET", "/v1/users", created.body.key)).status, 200);
  offset = 60 * 60 * 1000 + 1000;
  const refused = await api<{ code: string; detail: string }>(server, "GET", "/v1/users", created.body.key);
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get("www-authenticate"), 'Bearer realm="phycloud"');
  assert.deepEqual([refused.body.code, refused.body.detail], [
    "UNAUTHENTICATED",
    `API key expired at ${stored}: ask an admin for a new key (phyware api-keys create)`,
  ]);
  const list = await api<ApiKeyPage>(server, "GET", "/v1/api-keys", server.apiKey);
  assert.deepEqual(list.body.data.map((k) => [k.name, k.status]), [["admin", "active"], [
    "an hour",
    "expired",
  ]]);
});

Deno.test("expires_at must be an RFC 3339 time in the future", async (t) => {
  await using server = await startTestServer();
  const cases: Array<[string, unknown, string]> = [
    [
      "not a time",
      "tomorrow",
      'Invalid "expires_at" "tomorrow": expected an RFC 3339 time such as 2030-01-31T00:00:00Z',
    ],
    [
      "no zone",
      "2030-01-01T00:00:00",
      'Invalid "expires_at" "2030-01-01T00:00:00": expected an RFC 3339 time such as 2030-01-31T00:00:00Z',
    ],
    [
      "a number",
      1893456000,
      'Invalid "expires_at" 1893456000: expected an RFC 3339 time such as 2030-01-31T00:00:00Z',
    ],
    [
      "impossible date",
      "2030-02-31T00:00:00Z",
      'Invalid "expires_at" "2030-02-31T00:00:00Z": expected an RFC 3339 time such as 2030-01-31T00:00:00Z',
    ],
    ["in the past", "2020-01-01T00:00:00Z", 'Invalid "expires_at" "2020-01-01T00:00:00Z": in the past'],
  ];
  for (const [name, value, detail] of cases) {
    await t.step(name, async () => {
      const r = await api<{ detail: string }>(server, "POST", "/v1/api-keys", server.apiKey, {
        name: "x",
        scopes: [],
        expires_at: value,
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.detail, detail);
    });
  }
});

Deno.test("last_used_at is written in the background, at most once a minute per key", async () => {
  let offset = 0;
  await using server = await startTestServer({ now: () => new Date(Date.now() + offset) });
  const created = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "used",
    scopes: ["admin:users"],
  });
  const lastUsed = () => {
    const db = new DatabaseSync(server.dbPath, { readOnly: true });
    try {
      return db.prepare("SELECT last_used_at FROM api_keys WHERE id = ?").get(created.body.id)?.last_used_at;
    } finally {
      db.close();
    }
  };
  assert.equal((await api(server, "GET", "/v1/users", created.body.key)).status, 200);
  // The request is answered; its use is still only in memory.
  assert.equal(lastUsed(), null);
  await server.server.service.flushBackground();
  const first = lastUsed();
  assert.equal(typeof first, "string");
  offset = 30_000;
  await api(server, "GET", "/v1/users", created.body.key);
  await server.server.service.flushBackground();
  assert.equal(lastUsed(), first, "a use within the minute writes nothing");
  offset = 61_000;
  await api(server, "GET", "/v1/users", created.body.key);
  await server.server.service.flushBackground();
  const second = lastUsed();
  assert.ok(typeof second === "string" && typeof first === "string" && second > first);
  const listed = await api<ApiKeyPage>(server, "GET", "/v1/api-keys", server.apiKey);
  assert.equal(listed.body.data.find((k) => k.id === created.body.id)?.last_used_at, second);
});
