// Issue 9 item 4: limits per credential and per tenant, at most --max-api-keys keys, failed authentication
// per address, and what is (not) charged where.
import assert from "node:assert/strict";
import { run } from "../../src/cli/mod.ts";
import { DEFAULT_AUTH_FAILURE_LIMIT } from "../../src/server/defaults.ts";
import { testContext, testHost } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { testService } from "./service.ts";

const ADMIN = ["admin:users"];

Deno.test("keys minted by one credential share their tenant's invite and request budgets", async () => {
  await using s = await testService({ inviteRateLimit: 3, tenantInviteRateLimit: 5 });
  const acme = await s.createTenant("acme");
  const mint = async () =>
    (await s.callJson<{ key: string }>("POST", "/v1/api-keys", {
      token: acme.apiKey,
      json: { name: "more", scopes: ADMIN },
    })).body.key;
  const invite = async (key: string, email: string) =>
    await s.call("POST", "/v1/users", { token: key, json: { email } });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await invite(acme.apiKey, `a${i}@example.com`)).status);
  const minted = [await mint(), await mint()];
  for (const [i, key] of minted.entries()) statuses.push((await invite(key, `m${i}@example.com`)).status);
  const refused = await invite(minted[0] ?? "", "late@example.com");
  statuses.push(refused.status);
  assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429]);
  assert.equal(refused.headers.get("content-type"), "application/problem+json");
  assert.match(refused.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/);
  assert.equal((await invite(s.apiKey, "other-tenant@example.com")).status, 201, "other tenants unaffected");
  s.advance(60_000);
  assert.equal((await invite(minted[1] ?? "", "later@example.com")).status, 201);
});

Deno.test("a tenant's request limit holds across its keys, and a refusal by one limit costs the other nothing", async () => {
  await using s = await testService({ rateLimit: 3, tenantRateLimit: 4 });
  const acme = await s.createTenant("acme");
  const read = async (key: string) => (await s.call("GET", "/v1/users", { token: key })).status;
  // POST /v1/api-keys is a request like any other: it takes one of the minting key's 3.
  const second = await s.callJson<{ key: string }>("POST", "/v1/api-keys", {
    token: acme.apiKey,
    json: { name: "second", scopes: ADMIN },
  });
  assert.equal(second.status, 201);
  const a = [await read(acme.apiKey), await read(acme.apiKey), await read(acme.apiKey)];
  assert.deepEqual(a, [200, 200, 429], "the credential's 3 are spent; its 429 took nothing from the tenant");
  assert.equal(await read(second.body.key), 200, "the tenant's 4th");
  const refused = await s.call("GET", "/v1/users", { token: second.body.key });
  assert.equal(refused.status, 429, "the tenant's 4 are spent");
  assert.ok(refused.headers.get("retry-after"));
  assert.equal(await read(s.apiKey), 200, "another tenant is not limited");
});

Deno.test("a user holds at most --max-api-keys active keys; beyond, 409 CONFLICT", async () => {
  await using s = await testService({ maxApiKeys: 3 });
  const mint = () => s.callJson("POST", "/v1/api-keys", { token: s.apiKey, json: { name: "k", scopes: [] } });
  assert.deepEqual([(await mint()).status, (await mint()).status], [201, 201], "with the bootstrap key: 3");
  const refused = await mint();
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, "CONFLICT");
  assert.match(String(refused.body.detail), /^API key limit reached: a user holds at most 3 active keys/);
});

Deno.test("failed authentication is limited per address; a good key from that address is never refused", async () => {
  await using s = await testService({ authFailureLimit: 3 });
  const me = (token?: string) => s.call("GET", "/v1/me", token === undefined ? {} : { token });
  const statuses: number[] = [];
  for (const bad of [`phy_${"x".repeat(40)}`, "ses_nope", "garbage"]) statuses.push((await me(bad)).status);
  assert.equal((await me()).status, 401, "no credential at all is not a failed attempt");
  const refused = await me(`phy_${"y".repeat(40)}`);
  statuses.push(refused.status, (await me(s.apiKey)).status, (await me("garbage")).status);
  // Issue 18 item 7: one client behind a shared NAT guessing keys must not lock out everyone there.
  assert.deepEqual(statuses, [401, 401, 401, 429, 200, 429]);
  assert.match(refused.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/);
  s.advance(60_000);
  assert.equal((await me(`phy_${"z".repeat(40)}`)).status, 401, "a minute later, failures count again");
});

Deno.test("bad invitation tokens count as failed authentication", async () => {
  await using s = await testService({ authFailureLimit: 2 });
  const accept = (token: string) => s.call("POST", "/v1/invitations/accept", { json: { token } });
  const statuses = [];
  for (const token of ["inv_guess1", "not-even-a-token", "inv_guess3"]) {
    statuses.push((await accept(token)).status);
  }
  assert.deepEqual(statuses, [400, 400, 429]);
  // A real token from that address still works: the limit refuses only failing attempts.
  await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: "nat@example.com" } });
  await s.service.mailIdle();
  const token = s.mails.find((m) => m.to === "nat@example.com")?.token ?? "";
  assert.equal((await accept(token)).status, 200);
});

Deno.test("invites rejected as invalid (400) or mismatched (422) do not use up the invite budget", async () => {
  await using s = await testService({ inviteRateLimit: 2 });
  const invite = (json: unknown, headers: Record<string, string> = {}) =>
    s.call("POST", "/v1/users", { token: s.apiKey, json, headers });
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await invite({ email: `bad${i}` })).status);
  statuses.push((await invite({ email: "a@example.com" }, { "idempotency-key": "k1" })).status);
  statuses.push((await invite({ email: "b@example.com" }, { "idempotency-key": "k1" })).status);
  statuses.push((await invite({ email: "a@example.com" }, { "idempotency-key": "k1" })).status); // a replay
  statuses.push((await invite({ email: "c@example.com" })).status);
  statuses.push((await invite({ email: "d@example.com" })).status);
  assert.deepEqual(statuses, [...Array(10).fill(400), 201, 422, 201, 201, 429]);
});

Deno.test("behind --trust-proxy the address is X-Forwarded-For's last entry, otherwise the socket's", async () => {
  for (const trustProxy of [false, true]) {
    await using server = await startTestServer({ authFailureLimit: 1, trustProxy });
    const me = (forwardedFor: string) =>
      fetch(`${server.url}/v1/me`, {
        headers: { authorization: "Bearer phy_wrong", "x-forwarded-for": forwardedFor },
      }).then(async (r) => {
        await r.body?.cancel();
        return r.status;
      });
    const statuses = [await me("10.0.0.1"), await me("10.0.0.2"), await me("6.6.6.6, 10.0.0.2")];
    assert.deepEqual(statuses, trustProxy ? [401, 401, 429] : [401, 429, 429], `trustProxy ${trustProxy}`);
  }
});

Deno.test("server start --help shows every limit's default, and that 0 turns it off", async () => {
  const { ctx, stdout } = testContext();
  assert.equal(await run(["server", "start", "--help"], ctx, testHost), 0);
  const help = stdout.text.replace(/\s+/g, " ");
  const defaults: Array<[string, string]> = [
    ["--rate-limit", "600"],
    ["--invite-rate-limit", "60"],
    ["--tenant-rate-limit", "1200"],
    ["--tenant-invite-rate-limit", "120"],
    ["--auth-failure-limit", "30"],
    ["--max-api-keys", "50"],
  ];
  for (const [flag, value] of defaults) {
    assert.match(help, new RegExp(`${flag} <n> [^-]*0 turns it off \\(default: "${value}"\\)`), flag);
  }
});

Deno.test("an email that exists (409) costs no invitation budget; every answer carries the RateLimit fields", async () => {
  // The exact RateLimit states below hold only if the buckets do not refill meanwhile: the clock stands still.
  await using s = await testService({ rateLimit: 600, inviteRateLimit: 2, frozenClock: true });
  const invite = async (email: string) =>
    await s.call("POST", "/v1/users", { token: s.apiKey, json: { email } });
  // testService asked GET /v1/me once: 599 requests left before these.
  assert.equal((await invite("taken@example.com")).status, 201);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await invite("taken@example.com")).status);
  assert.deepEqual(statuses, [409, 409, 409, 409, 409], "five 409s, and still one invitation left");
  const last = await invite("new@example.com");
  assert.equal(last.status, 201);
  assert.equal(last.headers.get("ratelimit-policy"), '"key";q=600;w=60, "key-invitations";q=2;w=60');
  assert.equal(last.headers.get("ratelimit"), '"key";r=592;t=1, "key-invitations";r=0;t=30');
  const refused = await invite("late@example.com");
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "30");
  assert.equal(refused.headers.get("ratelimit"), '"key";r=592;t=1, "key-invitations";r=0;t=30');
  const conflict = await invite("taken@example.com");
  assert.equal(conflict.status, 409);
  assert.match(conflict.headers.get("ratelimit") ?? "", /^"key";r=\d+;t=1, "key-invitations";r=0;t=30$/);
  const list = await s.call("GET", "/v1/users", { token: s.apiKey });
  assert.equal(list.headers.get("ratelimit-policy"), '"key";q=600;w=60', "no invitation policy off POST");
  const notFound = await s.call("GET", "/v1/users/usr_nobody", { token: s.apiKey });
  assert.equal(notFound.status, 404);
  assert.match(notFound.headers.get("ratelimit") ?? "", /^"key";r=\d+;t=1$/);
});

Deno.test("at the default --auth-failure-limit, 30 bad keys from an address leave a good key from it working", async () => {
  await using server = await startTestServer({ authFailureLimit: DEFAULT_AUTH_FAILURE_LIMIT });
  const me = async (key: string) => {
    const r = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    await r.body?.cancel();
    return r.status;
  };
  const statuses: number[] = [];
  for (let i = 0; i < DEFAULT_AUTH_FAILURE_LIMIT; i++) statuses.push(await me(`phy_${"b".repeat(40)}${i}`));
  assert.deepEqual(statuses, Array(DEFAULT_AUTH_FAILURE_LIMIT).fill(401));
  assert.deepEqual([await me(server.apiKey), await me(`phy_${"c".repeat(40)}`), await me(server.apiKey)], [
    200,
    429,
    200,
  ]);
});
