import assert from "node:assert/strict";
import { ApiKeyCache } from "./key_cache.ts";
import type { Principal } from "./store/types.ts";

const principal: Principal = {
  credentialId: "key_1",
  kind: "api_key",
  tenantId: "ten_1",
  userId: "usr_1",
  scopes: ["admin:users"],
  credentialName: "ci",
};

Deno.test("ApiKeyCache keeps a key for one second of the injected clock", () => {
  let now = 1_000_000;
  const cache = new ApiKeyCache(() => now);
  cache.set("hash", principal, cache.generation);
  now += 999;
  assert.equal(cache.get("hash"), principal);
  now += 1;
  assert.equal(cache.get("hash"), undefined);
});

Deno.test("ApiKeyCache: a lookup that began before a revocation does not cache the revoked key", () => {
  const cache = new ApiKeyCache(() => 0);
  const generation = cache.generation;
  cache.forget();
  cache.set("hash", principal, generation);
  assert.equal(cache.get("hash"), undefined);
  cache.set("hash", principal, cache.generation);
  assert.equal(cache.get("hash"), principal);
  cache.forget();
  assert.equal(cache.get("hash"), undefined);
});
