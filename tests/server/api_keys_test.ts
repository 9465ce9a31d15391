import assert from "node:assert/strict";
import type { ApiKeyCreated, Me } from "../../src/wire/mod.ts";
import { testService } from "./service.ts";

Deno.test("POST /v1/api-keys returns the secret once, with scopes within the caller's", async () => {
  await using s = await testService();
  const r = await s.callJson<ApiKeyCreated>("POST", "/v1/api-keys", {
    token: s.apiKey,
    json: { name: "ci", scopes: ["admin:users"] },
  });
  assert.equal(r.status, 201);
  assert.deepEqual(Object.keys(r.body).sort(), [
    "created_at",
    "expires_at",
    "id",
    "key",
    "last_used_at",
    "name",
    "revoked_at",
    "scopes",
    "status",
    "user_id",
  ]);
  assert.equal(r.body.status, "active");
  assert.equal(r.body.expires_at, null);
  assert.match(r.body.id, /^key_/);
  assert.match(r.body.key, /^phy_[0-9A-Za-z]{43}$/);
  assert.deepEqual(r.body.scopes, ["admin:users"]);
  const me = await s.callJson<Me>("GET", "/v1/me", { token: r.body.key });
  assert.equal(me.body.user?.id, s.adminId);
  assert.equal(me.body.tenant.name, "default");
  assert.deepEqual(me.body.scopes, ["admin:users"]);
  assert.deepEqual(me.body.credential, {
    type: "api_key",
    id: r.body.id,
    name: "ci",
    scopes: ["admin:users"],
  });
  const readonly = await s.callJson<ApiKeyCreated>("POST", "/v1/api-keys", {
    token: s.apiKey,
    json: { name: "no scopes", scopes: [] },
  });
  assert.equal((await s.call("GET", "/v1/users", { token: readonly.body.key })).status, 403);
});

Deno.test("a member cannot mint a key with more than it holds", async () => {
  await using s = await testService();
  const member = await s.onboard("mo@example.com", "member");
  const up = await s.callJson<{ detail: string }>("POST", "/v1/api-keys", {
    token: member.session,
    json: { name: "escalate", scopes: ["admin:users"] },
  });
  assert.equal(up.status, 403);
  assert.equal(up.body.detail, "Insufficient scope");
  const ok = await s.call("POST", "/v1/api-keys", {
    token: member.session,
    json: { name: "mine", scopes: [] },
  });
  assert.equal(ok.status, 201);
});

Deno.test("api-keys rejects bad input", async (t) => {
  await using s = await testService();
  const cases: Array<[string, unknown, number, RegExp]> = [
    ["no credential", undefined, 401, /Missing credentials/],
    ["missing name", { scopes: [] }, 400, /^Missing field "name"$/],
    ["empty name", { name: " ", scopes: [] }, 400, /^Invalid "name": empty$/],
    ["long name", { name: "n".repeat(101), scopes: [] }, 400, /longer than 100/],
    ["control in name", { name: "a\nb", scopes: [] }, 400, /control character/],
    [
      "lone surrogate in name",
      { name: "key\ud800", scopes: [] },
      400,
      /^Invalid "name": contains a lone UTF-16/,
    ],
    ["missing scopes", { name: "x" }, 400, /^Missing field "scopes"$/],
    ["scopes not an array", { name: "x", scopes: "admin:users" }, 400, /not an array/],
    ["unknown scope", { name: "x", scopes: ["root"] }, 400, /unknown scope "root"/],
    ["extra field", { name: "x", scopes: [], user_id: "usr_x" }, 400, /^Unknown field "user_id"/],
  ];
  for (const [name, json, status, detail] of cases) {
    await t.step(name, async () => {
      const r = await s.callJson<{ detail: string }>("POST", "/v1/api-keys", {
        ...(json === undefined ? { json: {} } : { token: s.apiKey, json }),
      });
      assert.equal(r.status, status);
      assert.match(r.body.detail, detail);
    });
  }
});
