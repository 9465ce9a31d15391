import assert from "node:assert/strict";
import type { AcceptResponse, ApiKeyCreated, UserDetails } from "../../src/wire/mod.ts";
import { startTestServer } from "../support/server.ts";
import { invitationFrom, startSmtpSink } from "../support/smtp_sink.ts";

async function api<T>(
  url: string,
  path: string,
  init: { token?: string; json?: unknown; method?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers,
    body: init.json === undefined ? null : JSON.stringify(init.json),
  });
  return { status: response.status, body: await response.json() as T };
}

Deno.test("full lifecycle through a real SMTP server: invite, email, accept, session key, deactivate", async () => {
  await using sink = await startSmtpSink();
  await using server = await startTestServer({ smtpUrl: sink.smtpUrl });
  const invited = await api<UserDetails>(server.url, "/v1/users", {
    token: server.apiKey,
    json: { email: "nina@example.com", role: "member" },
  });
  assert.equal(invited.status, 201);
  const [raw] = await sink.waitForMessages(1);
  const mail = invitationFrom(raw!);
  assert.equal(mail.to, "nina@example.com");
  assert.equal(mail.acceptUrl, `${server.url}/accept?token=${mail.token}`);
  assert.match(raw!, /^Subject: Your invitation to PhyCloud \(default\)/m);

  const page = await fetch(mail.acceptUrl);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("referrer-policy"), "no-referrer");
  await page.body?.cancel();

  const accepted = await api<AcceptResponse>(server.url, "/v1/invitations/accept", {
    json: { token: mail.token },
  });
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.user.id, invited.body.id);
  assert.equal(accepted.body.user.status, "active");
  const session = accepted.body.session.token;

  const key = await api<ApiKeyCreated>(server.url, "/v1/api-keys", {
    token: session,
    json: { name: "nina's script", scopes: [] },
  });
  assert.equal(key.status, 201);
  assert.equal((await api(server.url, "/v1/me", { token: key.body.key })).status, 200);

  const gone = await api<UserDetails>(server.url, `/v1/users/${invited.body.id}/deactivate`, {
    token: server.apiKey,
    method: "POST",
  });
  assert.equal(gone.status, 200);
  assert.equal(gone.body.status, "inactive");
  assert.equal((await api(server.url, "/v1/me", { token: session })).status, 401);
  assert.equal((await api(server.url, "/v1/me", { token: key.body.key })).status, 401);
});

Deno.test("without SMTP, invitations are .eml files in the outbox", async () => {
  await using server = await startTestServer();
  const r = await api<UserDetails>(server.url, "/v1/users", {
    token: server.apiKey,
    json: { email: "olga@example.com" },
  });
  assert.equal(r.status, 201);
  await server.mailIdle();
  const files = [...Deno.readDirSync(server.outboxDir)].map((e) => e.name);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^\d{4}-\d\d-\d\dT[\d-]+Z-inv_[0-9A-Za-z]{22}\.eml$/);
  const mail = invitationFrom(await Deno.readTextFile(`${server.outboxDir}/${files[0]}`));
  assert.equal(mail.to, "olga@example.com");
  const accepted = await api(server.url, "/v1/invitations/accept", { json: { token: mail.token } });
  assert.equal(accepted.status, 200);
});

Deno.test("an unreachable SMTP server is logged and retried, and the user is kept", async () => {
  const lines: string[] = [];
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await using server = await startTestServer({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    log: (l) => lines.push(l),
  });
  const r = await api<UserDetails>(server.url, "/v1/users", {
    token: server.apiKey,
    json: { email: "pat@example.com" },
  });
  assert.equal(r.status, 201);
  await server.mailIdle();
  const mailLines = lines.filter((l) => l.includes(" mail inv_"));
  assert.equal(mailLines.length, 4, "first try and two retries, then not delivered");
  assert.match(mailLines[2]!, /attempt 3 failed: /);
  assert.match(mailLines[3]!, /not delivered: .*invite the email again/);
  assert.ok(!lines.some((l) => l.includes("phi_")), "no token in the log");
  const kept = await api<UserDetails>(server.url, `/v1/users/${r.body.id}`, { token: server.apiKey });
  assert.equal(kept.body.status, "pending");
});

Deno.test("--public-url sets the base of the emailed accept link", async () => {
  await using server = await startTestServer({ publicUrl: "https://phycloud.example/" });
  await api(server.url, "/v1/users", { token: server.apiKey, json: { email: "una@example.com" } });
  await server.mailIdle();
  const [file] = [...Deno.readDirSync(server.outboxDir)];
  const mail = invitationFrom(await Deno.readTextFile(`${server.outboxDir}/${file!.name}`));
  assert.equal(mail.acceptUrl, `https://phycloud.example/accept?token=${mail.token}`);
});
