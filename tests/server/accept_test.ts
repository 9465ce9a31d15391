import assert from "node:assert/strict";
import type { AcceptResponse, Me } from "../../src/wire/mod.ts";
import { testService } from "./service.ts";

const BAD_TOKEN = "Invalid invitation token: it is unknown, expired, revoked or already used";

Deno.test("accepting an invitation activates the user and opens a session", async () => {
  await using s = await testService();
  await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: "kim@example.com", role: "admin" } });
  await s.service.mailIdle();
  const r = await s.callJson<AcceptResponse>("POST", "/v1/invitations/accept", {
    json: { token: s.mails[0]!.token },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ["session", "user"]);
  assert.equal(r.body.user.status, "active");
  assert.ok(r.body.user.activated_at !== null);
  assert.match(r.body.session.token, /^phs_[0-9A-Za-z]{43}$/);
  assert.ok(Date.parse(r.body.session.expires_at) > Date.now());
  const me = await s.callJson<Me>("GET", "/v1/me", { token: r.body.session.token });
  assert.equal(me.body.user?.email, "kim@example.com");
  assert.equal(me.body.credential.type, "session");
  assert.match(me.body.credential.id, /^ses_/);
  assert.equal(me.body.credential.name, null);
  assert.deepEqual(me.body.scopes, ["admin:users"], "an admin's session carries admin:users");
});

Deno.test("every kind of bad token gets the same error", async (t) => {
  await using s = await testService();
  await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: "used@example.com" } });
  await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: "old@example.com" } });
  await s.service.mailIdle();
  const used = s.mails[0]!.token;
  const old = s.mails[1]!.token;
  assert.equal((await s.call("POST", "/v1/invitations/accept", { json: { token: used } })).status, 200);
  s.advance(7 * 24 * 60 * 60 * 1000 + 1);
  const cases: Array<[string, unknown]> = [
    ["already used", used],
    ["expired after 7 days", old],
    ["unknown", `phi_${"a".repeat(43)}`],
    ["malformed", "hello"],
    ["empty", ""],
    ["an API key", s.apiKey],
    ["not a string", 12],
  ];
  for (const [name, token] of cases) {
    await t.step(name, async () => {
      const r = await s.callJson<{ code: string; detail: string }>("POST", "/v1/invitations/accept", {
        json: { token },
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, "VALIDATION_ERROR");
      assert.equal(r.body.detail, BAD_TOKEN);
    });
  }
  await t.step("missing token and extra fields name the field", async () => {
    const missing = await s.callJson<{ detail: string }>("POST", "/v1/invitations/accept", { json: {} });
    assert.equal(missing.body.detail, 'Missing field "token"');
    const extra = await s.callJson<{ detail: string }>("POST", "/v1/invitations/accept", {
      json: { token: used, email: "x@example.com" },
    });
    assert.match(extra.body.detail, /^Unknown field "email"/);
  });
});

Deno.test("concurrent accepts of one token give exactly one success", async () => {
  await using s = await testService();
  await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: "race@example.com" } });
  await s.service.mailIdle();
  const token = s.mails[0]!.token;
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => s.call("POST", "/v1/invitations/accept", { json: { token } })),
  );
  assert.deepEqual(responses.map((r) => r.status).sort(), [200, ...Array(19).fill(400)]);
});

Deno.test("sessions expire", async () => {
  await using s = await testService();
  const lee = await s.onboard("lee@example.com");
  assert.equal((await s.call("GET", "/v1/me", { token: lee.session })).status, 200);
  s.advance(24 * 60 * 60 * 1000 + 1);
  assert.equal((await s.call("GET", "/v1/me", { token: lee.session })).status, 401);
});

Deno.test("GET /accept serves a self-contained page that posts the token, with no referrer", async () => {
  await using s = await testService();
  const token = `phi_${"b".repeat(43)}`;
  const r = await s.call("GET", `/accept?token=${token}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(r.headers.get("referrer-policy"), "no-referrer");
  const csp = r.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(csp, /connect-src 'self'/);
  const html = await r.text();
  assert.ok(!html.includes(token), "the token is read in the browser, never echoed into the HTML");
  assert.ok(!/<script[^>]+src=/.test(html), "no external scripts");
  assert.ok(html.includes('fetch("/v1/invitations/accept"'));
  for (const [tag, directive] of [["script", "script-src"], ["style", "style-src"]]) {
    const inline = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)![1]!;
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(inline));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    assert.ok(csp.includes(`${directive} 'sha256-${hash}'`), `the ${tag} is allowed by its hash`);
  }
  const xss = await s.call("GET", `/accept?token=%3Cscript%3Ealert(1)%3C/script%3E`);
  assert.ok(!(await xss.text()).includes("alert(1)"));
});
