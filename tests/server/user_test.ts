import assert from "node:assert/strict";
import type { UserDetails } from "../../src/wire/mod.ts";
import { testService } from "./service.ts";

Deno.test("GET /v1/users/{id} returns full details", async () => {
  await using s = await testService();
  const invited = await s.callJson<UserDetails>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "frank@example.com", role: "member" },
  });
  const got = await s.callJson<UserDetails>("GET", `/v1/users/${invited.body.id}`, { token: s.apiKey });
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, invited.body);
  assert.equal(got.headers.get("cache-control"), "no-store");
});

Deno.test("malformed, unknown and foreign ids are an ordinary 404 User not found", async (t) => {
  await using s = await testService();
  const other = await s.createTenant("other");
  const ids: Array<[string, string]> = [
    ["unknown", "usr_0000000000000000000000"],
    ["malformed", "not-an-id"],
    ["sequential-looking", "1"],
    ["too long", `usr_${"a".repeat(100)}`],
    ["percent-encoded junk", "%E0%A4%A"],
    ["another tenant's user", other.adminId],
  ];
  for (const [name, id] of ids) {
    await t.step(name, async () => {
      const r = await s.callJson<{ code: string; detail: string; title: string }>(
        "GET",
        `/v1/users/${id}`,
        {
          token: s.apiKey,
        },
      );
      assert.equal(r.status, 404);
      assert.deepEqual([r.body.code, r.body.title, r.body.detail], [
        "NOT_FOUND",
        "Not Found",
        "User not found",
      ]);
      const d = await s.callJson<{ detail: string }>("POST", `/v1/users/${id}/deactivate`, {
        token: s.apiKey,
      });
      assert.equal(d.status, 404);
      assert.equal(d.body.detail, "User not found");
    });
  }
});

Deno.test("without admin:users the answer is 403 whether the user exists or not", async () => {
  await using s = await testService();
  const member = await s.onboard("gina@example.com");
  for (const path of [`/v1/users/${s.adminId}`, "/v1/users/usr_0000000000000000000000", "/v1/users/junk"]) {
    const r = await s.callJson<{ detail: string }>("GET", path, { token: member.session });
    assert.equal(r.status, 403);
    assert.equal(r.body.detail, "Insufficient scope");
    const d = await s.call("POST", `${path}/deactivate`, { token: member.session });
    assert.equal(d.status, 403);
  }
  assert.equal((await s.call("GET", "/v1/users", { token: member.session })).status, 403);
  assert.equal((await s.call("GET", "/v1/users/junk")).status, 401, "401 comes first");
});

Deno.test("deactivate revokes the user's sessions, keys and open invitation at once, and is idempotent", async () => {
  await using s = await testService();
  const hank = await s.onboard("hank@example.com", "admin");
  const key = await s.callJson<{ key: string }>("POST", "/v1/api-keys", {
    token: hank.session,
    json: { name: "hank's laptop", scopes: ["admin:users"] },
  });
  assert.equal(key.status, 201);
  assert.equal((await s.call("GET", "/v1/me", { token: key.body.key })).status, 200);
  const pending = await s.callJson<UserDetails>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "ivy@example.com" },
  });
  await s.service.mailIdle();
  const ivyToken = s.mails.findLast((m) => m.to === "ivy@example.com")!.token;

  const done = await s.callJson<UserDetails>("POST", `/v1/users/${hank.id}/deactivate`, {
    token: s.apiKey,
  });
  assert.equal(done.status, 200);
  assert.equal(done.body.status, "inactive");
  assert.ok(done.body.deactivated_at !== null);
  for (const token of [hank.session, key.body.key]) {
    assert.equal((await s.call("GET", "/v1/me", { token })).status, 401);
  }
  const again = await s.callJson<UserDetails>("POST", `/v1/users/${hank.id}/deactivate`, {
    token: s.apiKey,
  });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, done.body, "deactivating twice changes nothing");

  assert.equal(
    (await s.call("POST", `/v1/users/${pending.body.id}/deactivate`, { token: s.apiKey })).status,
    200,
  );
  const accept = await s.call("POST", "/v1/invitations/accept", { json: { token: ivyToken } });
  assert.equal(accept.status, 400, "the open invitation was revoked");
});

Deno.test("the last active admin of a tenant cannot be deactivated", async () => {
  await using s = await testService();
  const r = await s.callJson<{ code: string; detail: string }>(
    "POST",
    `/v1/users/${s.adminId}/deactivate`,
    {
      token: s.apiKey,
    },
  );
  assert.equal(r.status, 409);
  assert.equal(r.body.code, "CONFLICT");
  assert.match(r.body.detail, /^Cannot deactivate the last active admin of the tenant/);
  // A pending admin does not count; an active one does.
  await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: "p@example.com", role: "admin" } });
  assert.equal(
    (await s.call("POST", `/v1/users/${s.adminId}/deactivate`, { token: s.apiKey })).status,
    409,
  );
  const second = await s.onboard("second@example.com", "admin");
  const ok = await s.call("POST", `/v1/users/${s.adminId}/deactivate`, { token: second.session });
  assert.equal(ok.status, 200);
  const self = await s.callJson<{ code: string }>("POST", `/v1/users/${second.id}/deactivate`, {
    token: second.session,
  });
  assert.equal(self.status, 409);
});

Deno.test("deactivate honours Idempotency-Key", async () => {
  await using s = await testService();
  const jay = await s.onboard("jay@example.com");
  const headers = { "idempotency-key": "deactivate-jay" };
  const first = await s.callJson<UserDetails>("POST", `/v1/users/${jay.id}/deactivate`, {
    token: s.apiKey,
    headers,
  });
  const retry = await s.callJson<UserDetails>("POST", `/v1/users/${jay.id}/deactivate`, {
    token: s.apiKey,
    headers,
  });
  assert.equal(retry.status, 200);
  assert.deepEqual(retry.body, first.body);
  assert.equal(retry.headers.get("idempotent-replayed"), "true");
  const other = await s.call("POST", `/v1/users/${s.adminId}/deactivate`, { token: s.apiKey, headers });
  assert.equal(other.status, 422);
});

Deno.test("unknown routes are 404 and wrong methods 405 with Allow", async () => {
  await using s = await testService();
  const missing = await s.callJson<{ code: string }>("GET", "/v2/users", { token: s.apiKey });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, "NOT_FOUND");
  const wrong = await s.call("DELETE", `/v1/users/${s.adminId}`, { token: s.apiKey });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "GET, PATCH");
  assert.equal((await s.call("PUT", "/v1/users", { token: s.apiKey })).headers.get("allow"), "GET, POST");
  assert.match(wrong.headers.get("x-request-id") ?? "", /^req_[0-9A-Za-z]{22}$/);
  const health = await s.callJson<{ status: string }>("GET", "/healthz");
  assert.deepEqual([health.status, health.body.status], [200, "ok"]);
});
