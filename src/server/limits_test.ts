import assert from "node:assert/strict";
import { Limits } from "./limits.ts";
import { HttpProblem } from "./problem.ts";
import type { Principal } from "./store/types.ts";

const principal = (credentialId: string, tenantId = "ten_a"): Principal => ({
  credentialId,
  kind: "api_key",
  credentialName: "test",
  tenantId,
  userId: "usr_a",
  scopes: [],
});
const is429 = (e: unknown) =>
  e instanceof HttpProblem && e.status === 429 && e.headers["retry-after"] !== undefined;

Deno.test("admitRequest charges credential and tenant together, or neither", () => {
  const limits = new Limits(
    { rate: 1, tenantRate: 2, inviteRate: 0, tenantInviteRate: 0, authFailures: 0 },
    () => 0,
  );
  limits.admitRequest(principal("key_a"));
  assert.throws(() => limits.admitRequest(principal("key_a")), is429);
  limits.admitRequest(principal("key_b"));
  assert.throws(() => limits.admitRequest(principal("key_c")), is429);
  limits.admitRequest(principal("key_c", "ten_b"));
});

Deno.test("a refused invitation gives its request back", () => {
  const limits = new Limits(
    { rate: 2, tenantRate: 0, inviteRate: 1, tenantInviteRate: 0, authFailures: 0 },
    () => 0,
  );
  const p = principal("key_a");
  limits.admitRequest(p);
  limits.chargeInvite(p);
  limits.admitRequest(p);
  assert.throws(() => limits.checkInvite(p), is429);
  limits.admitRequest(p);
  assert.throws(() => limits.admitRequest(p), is429);
});

Deno.test("0 turns every limit off", () => {
  const limits = new Limits(
    { rate: 0, tenantRate: 0, inviteRate: 0, tenantInviteRate: 0, authFailures: 0 },
    () => 0,
  );
  for (let i = 0; i < 100; i++) {
    limits.admitRequest(principal("key_a"));
    limits.chargeInvite(principal("key_a"));
    limits.recordAuthFailure(() => "10.0.0.1");
    limits.checkAuthFailures(() => "10.0.0.1");
  }
});

Deno.test("the caller's address is asked only once some address has failed, and then per address", () => {
  const limits = new Limits(
    { rate: 0, tenantRate: 0, inviteRate: 0, tenantInviteRate: 0, authFailures: 2 },
    () => 0,
  );
  let asked = 0;
  const from = (address: string) => () => {
    asked++;
    return address;
  };
  limits.checkAuthFailures(from("10.0.0.1"));
  assert.equal(asked, 0, "nobody has failed: no getpeername");
  limits.recordAuthFailure(from("10.0.0.1"));
  limits.recordAuthFailure(from("10.0.0.1"));
  assert.throws(() => limits.checkAuthFailures(from("10.0.0.1")), is429);
  limits.checkAuthFailures(from("10.0.0.2"));
  assert.equal(asked, 4);
});

Deno.test("headers: RateLimit-Policy and RateLimit of each limit that is on, invitations only when asked", () => {
  let now = 0;
  const limits = new Limits(
    { rate: 600, tenantRate: 0, inviteRate: 60, tenantInviteRate: 120, authFailures: 0 },
    () => now,
  );
  const p = principal("key_a");
  assert.deepEqual(limits.headers(p, false), {
    "ratelimit-policy": '"key";q=600;w=60',
    "ratelimit": '"key";r=600;t=1',
  });
  limits.admitRequest(p);
  limits.chargeInvite(p);
  assert.deepEqual(limits.headers(p, true), {
    "ratelimit-policy": '"key";q=600;w=60, "key-invitations";q=60;w=60, "tenant-invitations";q=120;w=60',
    "ratelimit": '"key";r=599;t=1, "key-invitations";r=59;t=1, "tenant-invitations";r=119;t=1',
  });
  for (let i = 0; i < 59; i++) limits.chargeInvite(p);
  now += 500;
  assert.equal(limits.headers(p, true)["ratelimit"]?.split(", ")[1], '"key-invitations";r=0;t=1');
  assert.deepEqual(limits.headers(p, false).ratelimit, '"key";r=600;t=1');
  const refused = (() => {
    try {
      limits.checkInvite(p);
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  assert.ok(refused instanceof HttpProblem && refused.status === 429);
  assert.equal(refused.headers["retry-after"], "1");
  assert.match(refused.headers["ratelimit"] ?? "", /"key-invitations";r=0;t=1/);
  assert.deepEqual(
    new Limits({ rate: 0, tenantRate: 0, inviteRate: 0, tenantInviteRate: 0, authFailures: 0 }, () => 0)
      .headers(p, true),
    {},
  );
});
