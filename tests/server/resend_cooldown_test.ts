// Issue 18 item 8: one invitation email per user per --resend-cooldown (default 60 s); a resend sooner is a
// 429 with Retry-After that sends nothing and charges nothing.
import assert from "node:assert/strict";
import { run } from "../../src/cli/mod.ts";
import { DEFAULT_RESEND_COOLDOWN_SECONDS } from "../../src/server/defaults.ts";
import { runCli, testContext, testHost } from "../support/context.ts";
import { startSmtpSink } from "../support/smtp_sink.ts";
import { startTestServer } from "../support/server.ts";
import { testService } from "./service.ts";

Deno.test("at the default cooldown, resends to one address within a minute are 429 and send no email", async () => {
  await using sink = await startSmtpSink();
  await using server = await startTestServer({
    smtpUrl: sink.smtpUrl,
    resendCooldownSeconds: DEFAULT_RESEND_COOLDOWN_SECONDS,
    inviteRateLimit: 60,
    tenantInviteRateLimit: 120,
  });
  const post = (path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
  const invited = await post("/v1/users", { email: "inbox@example.com" });
  assert.equal(invited.status, 201);
  const { id } = await invited.json();
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 20; i++) {
    last = await post(`/v1/users/${id}/invitation`);
    statuses.push(last.status);
    if (i < 19) await last.body?.cancel();
  }
  assert.deepEqual(statuses, Array(20).fill(429));
  assert.match(last?.headers.get("retry-after") ?? "", /^([1-9]|[1-5][0-9]|60)$/);
  const problem = await last?.json();
  assert.equal(problem.code, "RATE_LIMITED");
  assert.equal(
    problem.detail,
    "An invitation email went to this user less than 60 s ago: one is sent per user per 60 s",
  );
  await server.mailIdle();
  assert.equal((await sink.messages()).length, 1, "only the invitation itself was mailed");
  // The refusals took nothing from the invitation budget: other users can still be invited.
  for (let i = 0; i < 59; i++) {
    const r = await post("/v1/users", { email: `other${i}@example.com` });
    await r.body?.cancel();
    assert.equal(r.status, 201, `invite ${i}`);
  }
});

Deno.test("once the cooldown has passed, a resend goes out, and starts a new cooldown", async () => {
  await using s = await testService({ resendCooldownSeconds: 60 });
  const invited = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "later@example.com" },
  });
  const resend = () => s.call("POST", `/v1/users/${invited.body.id}/invitation`, { token: s.apiKey });
  // The first email goes out before the clock moves, as it would in the real minute: a resend cancels an
  // invitation email still waiting in the outbox (PostgreSQL's sender was sometimes slower than the resend).
  await s.service.mailIdle();
  s.advance(30_000);
  const early = await resend();
  assert.equal(early.status, 429);
  assert.equal(early.headers.get("retry-after"), "30");
  s.advance(30_001);
  assert.equal((await resend()).status, 200);
  assert.equal((await resend()).status, 429);
  await s.service.mailIdle();
  assert.equal(s.mails.filter((m) => m.to === "later@example.com").length, 2);
});

Deno.test("server start --help shows --resend-cooldown and its default", async () => {
  const { ctx, stdout } = testContext();
  assert.equal(await run(["server", "start", "--help"], ctx, testHost), 0);
  assert.match(
    stdout.text.replace(/\s+/g, " "),
    /--resend-cooldown <seconds> [^-]*0 turns it off \(default: "60"\)/,
  );
});

Deno.test("users resend-invite within the default cooldown: one line naming the wait, nothing sent", async () => {
  await using server = await startTestServer({ resendCooldownSeconds: DEFAULT_RESEND_COOLDOWN_SECONDS });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });
  const id = (await cli("users", "invite", "--email", "soon@example.com", "-o", "id")).stdout.trim();
  const r = await cli("users", "resend-invite", id);
  assert.equal(r.stdout, "");
  assert.match(
    r.stderr,
    /^error: An invitation email went to this user less than 60 s ago: one is sent per user per 60 s - Retry after (60|59) s \(request id: req_\w+\)\n$/,
  );
  assert.equal(r.code, 1);
  await server.mailIdle();
  let files = 0;
  for await (const _ of Deno.readDir(server.outboxDir)) files++;
  assert.equal(files, 1, "only the invitation itself");
});
