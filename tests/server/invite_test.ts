import assert from "node:assert/strict";
import { testService } from "./service.ts";

const USER_KEYS = [
  "activated_at",
  "created_at",
  "deactivated_at",
  "email",
  "id",
  "invited_by",
  "role",
  "status",
];

Deno.test("POST /v1/users creates a pending user and sends the invitation after the commit", async () => {
  await using s = await testService();
  const r = await s.callJson<Record<string, unknown>>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "  Alice@Example.com ", role: "admin" },
  });
  assert.equal(r.status, 201);
  assert.deepEqual(Object.keys(r.body).sort(), USER_KEYS);
  assert.match(String(r.body.id), /^usr_[0-9A-Za-z]{22}$/);
  assert.equal(r.body.email, "Alice@Example.com");
  assert.equal(r.body.status, "pending");
  assert.equal(r.body.role, "admin");
  assert.equal(r.body.invited_by, s.adminId);
  assert.equal(r.body.activated_at, null);
  assert.equal(r.body.deactivated_at, null);
  assert.equal(r.headers.get("location"), `/v1/users/${r.body.id}`);
  assert.match(r.headers.get("x-request-id") ?? "", /^req_/);
  await s.service.mailIdle();
  assert.equal(s.mails.length, 1);
  const mail = s.mails[0]!;
  assert.equal(mail.to, "Alice@Example.com");
  assert.match(mail.token, /^phi_[0-9A-Za-z]{43}$/);
  assert.ok(mail.text.includes(`http://phycloud.test/accept?token=${mail.token}`));
});

Deno.test("role defaults to member and ids are random, not sequential", async () => {
  await using s = await testService();
  const a = await s.callJson<{ id: string; role: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "a@example.com" },
  });
  const b = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "b@example.com" },
  });
  assert.equal(a.body.role, "member");
  assert.notEqual(a.body.id.slice(0, 10), b.body.id.slice(0, 10));
});

Deno.test("an email is unique per tenant whatever its case, among pending and active users", async () => {
  await using s = await testService();
  const first = await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: "bob@example.com" } });
  assert.equal(first.status, 201);
  const again = await s.callJson("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "BOB@example.COM" },
  });
  assert.equal(again.status, 409);
  assert.equal(again.headers.get("content-type"), "application/problem+json");
  assert.deepEqual({ ...again.body, request_id: undefined }, {
    type: "about:blank",
    title: "Conflict",
    status: 409,
    detail: "Email already exists",
    code: "CONFLICT",
    request_id: undefined,
  });
  assert.equal(again.body.request_id, again.headers.get("x-request-id"));
});

Deno.test("re-inviting the email of an inactive user creates a new user and keeps the old record", async () => {
  await using s = await testService();
  const old = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "carol@example.com" },
  });
  assert.equal(
    (await s.call("POST", `/v1/users/${old.body.id}/deactivate`, { token: s.apiKey })).status,
    200,
  );
  const fresh = await s.callJson<{ id: string; status: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "carol@example.com" },
  });
  assert.equal(fresh.status, 201);
  assert.notEqual(fresh.body.id, old.body.id);
  const kept = await s.callJson<{ status: string }>("GET", `/v1/users/${old.body.id}`, { token: s.apiKey });
  assert.equal(kept.body.status, "inactive");
});

Deno.test("emails that differ only in Unicode normalisation are one user, stored in NFC", async () => {
  await using s = await testService();
  const nfc = "caf\u00e9@example.com";
  const nfd = "cafe\u0301@example.com";
  const first = await s.callJson<{ email: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: nfd },
  });
  assert.equal(first.status, 201);
  assert.equal(first.body.email, nfc);
  const again = await s.callJson("POST", "/v1/users", { token: s.apiKey, json: { email: nfc } });
  assert.equal(again.status, 409);
  assert.equal(again.body.detail, "Email already exists");
  const wide = await s.callJson("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "\uff23af\u00e9@example.com" },
  });
  assert.equal(wide.status, 409, "NFKC folds the fullwidth C");
});

Deno.test("an internationalised domain and its A-label form are one mailbox", async () => {
  await using s = await testService();
  const statuses: number[] = [];
  for (const email of ["z@m\u00fcnchen.example", "z@xn--mnchen-3ya.example", "Z@M\u00dcNCHEN.example"]) {
    statuses.push((await s.callJson("POST", "/v1/users", { token: s.apiKey, json: { email } })).status);
  }
  assert.deepEqual(statuses, [201, 409, 409]);
  const other = await s.callJson("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "y@xn--mnchen-3ya.example" },
  });
  assert.equal(other.status, 201, "the local part still tells mailboxes apart");
});

Deno.test("invite rejects every bad input with 400 VALIDATION_ERROR naming the field", async (t) => {
  await using s = await testService();
  const long = "a".repeat(250);
  const cases: Array<[string, unknown, RegExp]> = [
    ["missing email", { role: "member" }, /^Missing field "email"$/],
    ["email not a string", { email: 42 }, /^Invalid "email": not a string$/],
    ["empty email", { email: "" }, /^Invalid "email": empty$/],
    ["blank email", { email: "   " }, /^Invalid "email": empty$/],
    ["no @", { email: "alice.example.com" }, /no "@"/],
    ["two @", { email: "a@b@example.com" }, /more than one "@"/],
    ["empty local part", { email: "@example.com" }, /empty local part/],
    ["empty domain", { email: "alice@" }, /bad domain/],
    ["overlong email", { email: `${long}@example.com` }, /longer than 254 characters$/],
    [
      "overlong local part",
      { email: `${"a".repeat(65)}@example.com` },
      /local part longer than 64 characters$/,
    ],
    ["CR/LF in email", { email: "a@example.com\r\nBcc: x@evil.test" }, /control or space/],
    ["LF in email", { email: "a\n@example.com" }, /control or space/],
    ["NUL in email", { email: "a\u0000@example.com" }, /control or space/],
    ["space inside email", { email: "a b@example.com" }, /control or space/],
    [
      "comma in local part",
      { email: "x,attacker@evil.com" },
      /^Invalid "email" "x,attacker@evil.com": the local/,
    ],
    [
      "angle bracket",
      { email: "bob@corp.com>attacker" },
      /^Invalid "email" "bob@corp.com>attacker": bad domain/,
    ],
    ["quoted local part", { email: '"q"@x.com' }, /^Invalid "email" "\\"q\\"@x.com": the local part/],
    ["semicolon", { email: "a;b@x.com" }, /may not contain ";"/],
    [
      "local part of 33 two-octet letters",
      { email: `${"é".repeat(33)}@x.com` },
      /local part longer than 64 octets/,
    ],
    ["empty domain label", { email: "a@b..c" }, /^Invalid "email" "a@b..c": bad domain/],
    ["leading hyphen label", { email: "a@-b.c" }, /^Invalid "email" "a@-b.c": bad domain/],
    ["trailing hyphen label", { email: "a@b-.c" }, /bad domain/],
    ["underscore in domain", { email: "a@b_c.com" }, /bad domain/],
    ["domain with no A-label form", { email: "a@\u0661\u0662.example" }, /bad domain/],
    [
      "lone surrogate in email",
      { email: "\ud800@x.example" },
      /^Invalid "email": contains a lone UTF-16 surrogate/,
    ],
    ["lone surrogate in role", { email: "a@x.example", role: "\udfff" }, /^Invalid "role": contains a lone/],
    ["unknown role", { email: "a@example.com", role: "owner" }, /^Invalid "role" "owner": expected one of/],
    ["role not a string", { email: "a@example.com", role: 1 }, /^Invalid "role" 1/],
    ["extra field", { email: "a@example.com", role: "member", tenant_id: "x" }, /^Unknown field "tenant_id"/],
    ["array body", ["a@example.com"], /must be a JSON object/],
    ["null body", null, /must be a JSON object/],
  ];
  for (const [name, json, detail] of cases) {
    await t.step(name, async () => {
      const r = await s.callJson<{ code: string; detail: string; title: string }>("POST", "/v1/users", {
        token: s.apiKey,
        body: JSON.stringify(json),
        headers: { "content-type": "application/json" },
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, "VALIDATION_ERROR");
      assert.equal(r.body.title, "Bad Request");
      assert.match(r.body.detail, detail);
    });
  }
  await t.step("exactly 254 characters with a 64-character local part is accepted", async () => {
    const email = `${"l".repeat(64)}@${"d".repeat(184)}.test`;
    assert.equal(email.length, 254);
    assert.equal((await s.call("POST", "/v1/users", { token: s.apiKey, json: { email } })).status, 201);
  });
});

Deno.test("invite rejects bodies that are not JSON, of the wrong type, or too large", async (t) => {
  await using s = await testService();
  const cases: Array<[string, Record<string, string>, string, number, RegExp]> = [
    ["not JSON", { "content-type": "application/json" }, "email=a@example.com", 400, /not valid JSON/],
    ["empty body", { "content-type": "application/json" }, "", 400, /empty/],
    ["no content type", {}, '{"email":"a@example.com"}', 415, /Content-Type: application\/json/],
    ["form content type", { "content-type": "application/x-www-form-urlencoded" }, "email=a", 415, /JSON/],
    ["text/plain", { "content-type": "text/plain" }, '{"email":"a@example.com"}', 415, /JSON/],
    ["other charset", { "content-type": "application/json; charset=latin1" }, "{}", 415, /JSON/],
    [
      "over 64 KiB",
      { "content-type": "application/json" },
      JSON.stringify({ email: "a@example.com", pad: "x".repeat(70_000) }),
      413,
      /larger than 65536 bytes/,
    ],
  ];
  for (const [name, headers, body, status, detail] of cases) {
    await t.step(name, async () => {
      const r = await s.callJson<{ code: string; detail: string }>("POST", "/v1/users", {
        token: s.apiKey,
        body,
        headers,
      });
      assert.equal(r.status, status);
      assert.equal(r.body.code, "VALIDATION_ERROR");
      assert.match(r.body.detail, detail);
    });
  }
  await t.step("charset=utf-8 is accepted", async () => {
    const r = await s.call("POST", "/v1/users", {
      token: s.apiKey,
      body: '{"email":"utf8@example.com"}',
      headers: { "content-type": "application/json; charset=UTF-8" },
    });
    assert.equal(r.status, 201);
  });
  await t.step("invalid UTF-8 is not valid JSON", async () => {
    const r = await s.call("POST", "/v1/users", {
      token: s.apiKey,
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
      headers: { "content-type": "application/json" },
    });
    assert.equal(r.status, 400);
  });
});

Deno.test("checks run in order: 401, then 403, then validation, then 409", async (t) => {
  await using s = await testService();
  const noScope = await s.service.store.createApiKey({
    tenantId: s.tenantId,
    userId: s.adminId,
    name: "none",
    scopes: [],
    keyHash: "unused",
    now: new Date().toISOString(),
  });
  assert.ok(noScope.id);
  const memberKey = (await s.onboard("member@example.com")).session;
  await t.step("no credential is 401 even with a bad body", async () => {
    const r = await s.callJson<{ code: string; detail: string }>("POST", "/v1/users", { body: "junk" });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, "UNAUTHENTICATED");
    assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="phycloud"');
  });
  for (
    const header of [
      "Bearer",
      "Basic abc",
      "Bearer phy_unknown",
      "Bearer phs_unknown",
      "Bearer x y",
      "bearer",
    ]
  ) {
    await t.step(`Authorization "${header}" is 401`, async () => {
      const r = await s.call("POST", "/v1/users", { headers: { authorization: header }, json: {} });
      assert.equal(r.status, 401);
    });
  }
  await t.step("a member session is 403 Insufficient scope before the body is read", async () => {
    const r = await s.callJson<{ code: string; detail: string; title: string }>("POST", "/v1/users", {
      token: memberKey,
      body: "junk",
    });
    assert.equal(r.status, 403);
    assert.deepEqual([r.body.code, r.body.title, r.body.detail], [
      "FORBIDDEN",
      "Forbidden",
      "Insufficient scope",
    ]);
  });
  await t.step("a valid admin with a duplicate and a bad role is 400 before 409", async () => {
    const r = await s.call("POST", "/v1/users", {
      token: s.apiKey,
      json: { email: "member@example.com", role: "boss" },
    });
    assert.equal(r.status, 400);
  });
});

Deno.test("Idempotency-Key replays the stored response, per credential, and refuses another body", async () => {
  await using s = await testService();
  const headers = { "idempotency-key": "invite-dave-1" };
  const json = { email: "dave@example.com", role: "member" };
  const first = await s.callJson<{ id: string }>("POST", "/v1/users", { token: s.apiKey, json, headers });
  const retry = await s.callJson<{ id: string }>("POST", "/v1/users", { token: s.apiKey, json, headers });
  assert.equal(first.status, 201);
  assert.equal(retry.status, 201);
  assert.deepEqual(retry.body, first.body);
  assert.equal(retry.headers.get("idempotent-replayed"), "true");
  await s.service.mailIdle();
  assert.equal(s.mails.length, 1, "a replay sends no second email");
  const other = await s.callJson<{ code: string; detail: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "erin@example.com", role: "member" },
    headers,
  });
  assert.equal(other.status, 422);
  assert.equal(other.body.code, "VALIDATION_ERROR");
  assert.match(other.body.detail, /Idempotency-Key was already used with a different request/);
  // Another credential with the same key is a new request: here a conflict, since dave exists.
  const otherKey = await s.onboard("admin2@example.com", "admin");
  const second = await s.call("POST", "/v1/users", { token: otherKey.session, json, headers });
  assert.equal(second.status, 409);
  // After 24 hours the key is forgotten.
  s.advance(24 * 60 * 60 * 1000 + 1000);
  const late = await s.call("POST", "/v1/users", { token: s.apiKey, json, headers });
  assert.equal(late.status, 409);
  const bad = await s.call("POST", "/v1/users", {
    token: s.apiKey,
    json,
    headers: { "idempotency-key": "x".repeat(256) },
  });
  assert.equal(bad.status, 400);
});

Deno.test("20 concurrent invites of one email give exactly one 201", async () => {
  await using s = await testService();
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      s.call("POST", "/v1/users", {
        token: s.apiKey,
        json: { email: i % 2 ? "race@example.com" : "RACE@example.com" },
      })),
  );
  const statuses = responses.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, ...Array(19).fill(409)]);
  await s.service.mailIdle();
  assert.equal(s.mails.length, 1);
});

Deno.test("past the invite rate limit the answer is 429 with Retry-After; reads are limited separately", async () => {
  await using s = await testService({ inviteRateLimit: 3, rateLimit: 10 });
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 4; i++) {
    last = await s.call("POST", "/v1/users", { token: s.apiKey, json: { email: `r${i}@example.com` } });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [201, 201, 201, 429]);
  const problem = await last!.json();
  assert.equal(problem.code, "RATE_LIMITED");
  assert.equal(last!.headers.get("retry-after"), "20");
  const reads: number[] = [];
  for (let i = 0; i < 7; i++) reads.push((await s.call("GET", "/v1/users", { token: s.apiKey })).status);
  // 10 a minute: the harness's GET /v1/me and the 3 accepted invites took 4 of them; the invite refused by
  // the invite limit was not charged to the request limit.
  assert.deepEqual(reads, [200, 200, 200, 200, 200, 200, 429]);
  s.advance(60_000);
  assert.equal((await s.call("GET", "/v1/users", { token: s.apiKey })).status, 200);
});

Deno.test("a failed send is logged without the token, retried, and never loses the user", async () => {
  await using s = await testService();
  s.failNextSends(2);
  const r = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "flaky@example.com" },
  });
  assert.equal(r.status, 201);
  await s.service.mailIdle();
  assert.equal(s.mails.length, 1);
  const failures = s.log.filter((line) => line.includes(" mail "));
  assert.equal(failures.length, 2);
  assert.match(failures[0]!, /attempt 1 failed: SMTP server unavailable; retrying/);
  assert.ok(!s.log.some((line) => line.includes(s.mails[0]!.token)));
  s.failNextSends(3);
  const lost = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "unlucky@example.com" },
  });
  await s.service.mailIdle();
  assert.ok(s.log.some((line) => /attempt 3 failed: SMTP server unavailable$/.test(line)));
  assert.ok(
    s.log.some((line) => /mail inv_\w+ not delivered: .*deactivate the user and invite/.test(line)),
  );
  const kept = await s.callJson<{ status: string }>("GET", `/v1/users/${lost.body.id}`, {
    token: s.apiKey,
  });
  assert.equal(kept.body.status, "pending");
});
