import assert from "node:assert/strict";
import type { UserDetails, UserPage } from "../../src/wire/mod.ts";
import { testService } from "./service.ts";

Deno.test("tenant A cannot see, get or deactivate B's users; the same email may exist in both", async () => {
  await using s = await testService();
  const a = await s.createTenant("alpha");
  const b = await s.createTenant("beta");
  const inA = await s.callJson<UserDetails>("POST", "/v1/users", {
    token: a.apiKey,
    json: { email: "shared@example.com" },
  });
  const inB = await s.callJson<UserDetails>("POST", "/v1/users", {
    token: b.apiKey,
    json: { email: "shared@example.com" },
  });
  assert.equal(inA.status, 201);
  assert.equal(inB.status, 201);

  const listA = await s.callJson<UserPage>("GET", "/v1/users", { token: a.apiKey });
  assert.deepEqual(listA.body.data.map((u) => u.id).sort(), [a.adminId, inA.body.id].sort());

  const get = await s.callJson<{ detail: string }>("GET", `/v1/users/${inB.body.id}`, { token: a.apiKey });
  assert.equal(get.status, 404);
  assert.equal(get.body.detail, "User not found");
  const deactivate = await s.call("POST", `/v1/users/${inB.body.id}/deactivate`, { token: a.apiKey });
  assert.equal(deactivate.status, 404);
  const still = await s.callJson<UserDetails>("GET", `/v1/users/${inB.body.id}`, { token: b.apiKey });
  assert.equal(still.body.status, "pending");

  // The default tenant sees neither.
  const def = await s.callJson<UserPage>("GET", "/v1/users", { token: s.apiKey });
  assert.deepEqual(def.body.data.map((u) => u.id), [s.adminId]);
  const me = await s.callJson<{ tenant: { name: string } }>("GET", "/v1/me", { token: b.apiKey });
  assert.equal(me.body.tenant.name, "beta");
});

Deno.test("a tenant cannot be chosen by the request", async () => {
  await using s = await testService();
  const other = await s.createTenant("other");
  const r = await s.call("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "x@example.com", tenant_id: other.tenantId },
  });
  assert.equal(r.status, 400);
  const q = await s.call("GET", `/v1/users?tenant_id=${other.tenantId}`, { token: s.apiKey });
  assert.equal(q.status, 400);
});
