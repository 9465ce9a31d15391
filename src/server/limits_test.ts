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
