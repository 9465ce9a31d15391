import assert from "node:assert/strict";
import type { UserDetails } from "../../src/api/types.ts";
import { testService } from "./service.ts";

type Problem = { code: string; detail: string };

Deno.test("PATCH /v1/users/{id} {role} changes the role, and the same role again changes nothing", async () => {
  await using s = await testService();
  const invited = await s.callJson<UserDetails>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "ada@example.com" },
  });
  const path = `/v1/users/${invited.body.id}`;
  const promoted = await s.callJson<UserDetails>("PATCH", path, { token: s.apiKey, json: { role: "admin" } });
  assert.equal(promoted.status, 200);
  assert.deepEqual(promoted.body, { ...invited.body, role: "admin" });
  const again = await s.callJson<UserDetails>("PATCH", path, { token: s.apiKey, json: { role: "admin" } });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, promoted.body);
  const got = await s.callJson<UserDetails>("GET", path, { token: s.apiKey });
  assert.equal(got.body.role, "admin");
});

Deno.test("PATCH with an Idempotency-Key replays its answer, and refuses the key with another role", async () => {
  await using s = await testService();
  const { id } = await s.onboard("ada@example.com", "member");
  const path = `/v1/users/${id}`;
  const headers = { "idempotency-key": "role-change-1" };
  const first = await s.callJson<UserDetails>("PATCH", path, {
    token: s.apiKey,
    headers,
    json: { role: "admin" },
  });
  assert.equal(first.status, 200);
  // Meanwhile someone else demotes her; the retry of the first request still answers what it did.
  await s.call("PATCH", path, { token: s.apiKey, json: { role: "member" } });
  const replayed = await s.callJson<UserDetails>("PATCH", path, {
    token: s.apiKey,
    headers,
    json: { role: "admin" },
  });
  assert.equal(replayed.status, 200);
  assert.equal(replayed.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(replayed.body, first.body);
  assert.equal((await s.callJson<UserDetails>("GET", path, { token: s.apiKey })).body.role, "member");
  const other = await s.callJson<Problem>("PATCH", path, {
    token: s.apiKey,
    headers,
    json: { role: "member" },
  });
  assert.equal(other.status, 422);
});

Deno.test("the last active admin cannot be demoted: 409 CONFLICT, and nothing changes", async () => {
  await using s = await testService();
  const r = await s.callJson<Problem>("PATCH", `/v1/users/${s.adminId}`, {
    token: s.apiKey,
    json: { role: "member" },
  });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, "CONFLICT");
  assert.equal(
    r.body.detail,
    "Cannot demote the last active admin of the tenant: make another user an active admin first",
  );
  // A pending admin does not count: she cannot act yet.
  await s.callJson("POST", "/v1/users", { token: s.apiKey, json: { email: "p@example.com", role: "admin" } });
  assert.equal(
    (await s.call("PATCH", `/v1/users/${s.adminId}`, { token: s.apiKey, json: { role: "member" } }))
      .status,
    409,
  );
  const second = await s.onboard("second@example.com", "admin");
  const demoted = await s.callJson<UserDetails>("PATCH", `/v1/users/${s.adminId}`, {
    token: s.apiKey,
    json: { role: "member" },
  });
  assert.equal(demoted.status, 200, "with another active admin the first may go");
  assert.equal(demoted.body.role, "member");
  // Now the second is the last one, even to herself.
  const self = await s.callJson<Problem>("PATCH", `/v1/users/${second.id}`, {
    token: second.session,
    json: { role: "member" },
  });
  assert.deepEqual([self.status, self.body.code], [409, "CONFLICT"]);
});

Deno.test("an inactive user's role cannot change: 409 CONFLICT", async () => {
  await using s = await testService();
  const invited = await s.callJson<UserDetails>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "gone@example.com" },
  });
  await s.call("POST", `/v1/users/${invited.body.id}/deactivate`, { token: s.apiKey });
  const r = await s.callJson<Problem>("PATCH", `/v1/users/${invited.body.id}`, {
    token: s.apiKey,
    json: { role: "admin" },
  });
  assert.equal(r.status, 409);
  assert.deepEqual([r.body.code, r.body.detail], [
    "CONFLICT",
    `User ${invited.body.id} is inactive: the role of a deactivated user cannot be changed`,
  ]);
});

Deno.test("a demoted admin's admin:users keys stop working at once; her session loses the scope", async () => {
  await using s = await testService();
  const { id, session } = await s.onboard("second@example.com", "admin");
  const key = await s.callJson<{ key: string }>("POST", "/v1/api-keys", {
    token: session,
    json: { name: "laptop", scopes: ["admin:users"] },
  });
  assert.equal(key.status, 201);
  assert.equal((await s.call("GET", "/v1/users", { token: key.body.key })).status, 200);
  const demoted = await s.callJson<UserDetails>("PATCH", `/v1/users/${id}`, {
    token: s.apiKey,
    json: { role: "member" },
  });
  assert.equal(demoted.status, 200);
  assert.equal((await s.call("GET", "/v1/users", { token: key.body.key })).status, 401);
  assert.equal((await s.call("GET", "/v1/users", { token: session })).status, 403);
});

Deno.test("bad PATCH bodies and ids: 400, 404, 403 without the scope", async (t) => {
  await using s = await testService();
  const { id } = await s.onboard("ada@example.com");
  const cases: Array<[string, unknown, number, RegExp]> = [
    ["no role", {}, 400, /^Missing field "role"$/],
    ["unknown role", { role: "owner" }, 400, /^Invalid "role" "owner": expected one of "admin", "member"$/],
    ["other field", { role: "admin", email: "x@example.com" }, 400, /email/],
  ];
  for (const [name, body, status, detail] of cases) {
    await t.step(name, async () => {
      const r = await s.callJson<Problem>("PATCH", `/v1/users/${id}`, { token: s.apiKey, json: body });
      assert.equal(r.status, status);
      assert.match(r.body.detail, detail);
    });
  }
  await t.step("unknown user", async () => {
    const r = await s.callJson<Problem>("PATCH", "/v1/users/usr_0000000000000000000000", {
      token: s.apiKey,
      json: { role: "admin" },
    });
    assert.deepEqual([r.status, r.body.code, r.body.detail], [404, "NOT_FOUND", "User not found"]);
  });
  await t.step("a key without admin:users", async () => {
    const { session } = await s.onboard("member@example.com", "member");
    const r = await s.callJson<Problem>("PATCH", `/v1/users/${id}`, {
      token: session,
      json: { role: "admin" },
    });
    assert.equal(r.status, 403);
  });
});
