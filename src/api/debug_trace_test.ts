import assert from "node:assert/strict";
import { debugWanted, MAX_TRACE_BODY, redactSecrets, tracingFetch } from "./debug_trace.ts";

Deno.test("redactSecrets hides tokens anywhere and secret-named members, and nothing else", () => {
  assert.equal(
    redactSecrets('{"id":"key_1","key":"anything at all","name":"ci","token":"x\\"y"}'),
    '{"id":"key_1","key":"[redacted]","name":"ci","token":"[redacted]"}',
  );
  assert.equal(
    redactSecrets("see phy_AbC123 and phs_Zz9, phi_q; php_keep"),
    "see phy_[redacted] and phs_[redacted], phi_[redacted]; php_keep",
  );
  assert.equal(redactSecrets("/accept?token=phi_abc"), "/accept?token=phi_[redacted]");
});

Deno.test("tracingFetch writes both sides, redacts Authorization, cuts long bodies, returns the body whole", async () => {
  const big = "x".repeat(MAX_TRACE_BODY + 10);
  const inner = (() =>
    Promise.resolve(
      new Response(big, { status: 201, statusText: "Created", headers: { "set-cookie": "s=phs_1" } }),
    )) as typeof fetch;
  let trace = "";
  const traced = tracingFetch(inner, (text) => {
    trace += text;
    return Promise.resolve();
  });
  const response = await traced("http://api.test/v1/users", {
    method: "POST",
    headers: { authorization: "Bearer phy_SECRET", "content-type": "application/json" },
    body: '{"email":"a@b.c"}',
  });
  assert.equal(await response.text(), big);
  assert.match(trace, /^> POST http:\/\/api\.test\/v1\/users\n/);
  assert.match(trace, /\n> authorization: Bearer \[redacted\]\n/);
  assert.match(trace, /\n> \{"email":"a@b\.c"\}\n/);
  assert.match(trace, /\n< 201 Created \(\d+ ms\)\n/);
  assert.match(trace, /\n< set-cookie: \[redacted\]\n/);
  assert.match(trace, /\n< \[10 more bytes not shown\]\n$/);
  assert.ok(!trace.includes("SECRET"));
});

Deno.test("debugWanted: the flag, or PHYWARE_DEBUG=1/true", () => {
  assert.equal(debugWanted(true, {}), true);
  assert.equal(debugWanted(false, {}), false);
  assert.equal(debugWanted(false, { PHYWARE_DEBUG: "1" }), true);
  assert.equal(debugWanted(false, { PHYWARE_DEBUG: "true" }), true);
  assert.equal(debugWanted(false, { PHYWARE_DEBUG: "0" }), false);
  assert.equal(debugWanted(false, { PHYWARE_DEBUG: "" }), false);
});
