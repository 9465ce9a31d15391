// The audit log against the real server over loopback: each write's event in its own transaction, failed
// authentications counted per address and minute, GET /v1/events newest first with filters, retention.
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { ApiKeyCreated, AuditEvent, EventPage } from "../../src/api/types.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { createService } from "../../src/server/mod.ts";
import { DEFAULT_AUTH_FAILURE_LIMIT } from "../../src/server/defaults.ts";
import { DEFAULT_LIMITS } from "../support/default_limits.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";
import { api, onboard } from "./api_calls.ts";

async function events(server: TestServer, query = "", token = server.apiKey): Promise<AuditEvent[]> {
  const page = await api<EventPage>(server, "GET", `/v1/events${query}`, token);
  assert.equal(page.status, 200, JSON.stringify(page.body));
  return page.body.data;
}

function rows(dbPath: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

Deno.test("every write records who did it, through which request and from where", async () => {
  await using server = await startTestServer();
  const me = await api<{ user: { id: string }; credential: { id: string } }>(
    server,
    "GET",
    "/v1/me",
    server.apiKey,
  );
  const admin = { user: me.body.user.id, key: me.body.credential.id };
  const invited = await api<{ id: string }>(server, "POST", "/v1/users", server.apiKey, {
    email: "ann@example.com",
    role: "admin",
  });
  const resent = await api(server, "POST", `/v1/users/${invited.body.id}/invitation`, server.apiKey, {});
  assert.equal(resent.status, 200);
  const ann = await onboard(server, "bob@example.com", "member");
  const key = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "ci",
    scopes: ["admin:users"],
  });
  const revoked = await api(server, "DELETE", `/v1/api-keys/${key.body.id}`, server.apiKey);
  const deactivated = await api(server, "POST", `/v1/users/${ann.id}/deactivate`, server.apiKey, {});
  assert.equal(deactivated.status, 200);

  const log = await events(server);
  assert.deepEqual(log.map((e) => [e.action, e.target]), [
    ["user.deactivated", ann.id],
    ["api_key.revoked", key.body.id],
    ["api_key.created", key.body.id],
    ["invitation.accepted", ann.id],
    ["user.invited", ann.id],
    ["invitation.resent", invited.body.id],
    ["user.invited", invited.body.id],
    ["api_key.created", admin.key],
    ["tenant.created", log[0]?.tenant_id],
  ]);
  const first = log.find((e) => e.action === "user.invited" && e.target === invited.body.id);
  assert.deepEqual(first && { ...first, id: "", time: "" }, {
    id: "",
    time: "",
    tenant_id: log[0]?.tenant_id,
    action: "user.invited",
    actor_user_id: admin.user,
    actor_credential_id: admin.key,
    target: invited.body.id,
    request_id: invited.headers.get("x-request-id"),
    client_address: "127.0.0.1",
    count: 1,
    details: { role: "admin" },
  });
  assert.match(first?.id ?? "", /^evt_[0-9A-Za-z]{22}$/);
  const revokedEvent = log.find((e) => e.action === "api_key.revoked");
  assert.equal(revokedEvent?.request_id, revoked.headers.get("x-request-id"));
  assert.deepEqual(revokedEvent?.details, { name: "ci", user_id: admin.user });
  const accepted = log.find((e) => e.action === "invitation.accepted");
  assert.equal(accepted?.actor_user_id, ann.id);
  assert.match(accepted?.actor_credential_id ?? "", /^inv_/);
  // The bootstrap is the operator's: no actor, no request.
  const tenant = log.at(-1);
  assert.deepEqual(
    [tenant?.action, tenant?.actor_user_id, tenant?.actor_credential_id, tenant?.request_id],
    ["tenant.created", null, null, null],
  );
  // The key's secret is nowhere in the database, its events included; its hash only in api_keys.
  const files = [server.dbPath, `${server.dbPath}-wal`];
  const bytes = files.map((f) => {
    try {
      return new TextDecoder("latin1").decode(Deno.readFileSync(f));
    } catch {
      return "";
    }
  }).join("");
  assert.ok(!bytes.includes(key.body.key), "the secret is not in the database files");
  const eventText = JSON.stringify(rows(server.dbPath, "SELECT * FROM events"));
  assert.ok(!eventText.includes(key.body.key) && !eventText.includes(hashSecret(key.body.key)));
});

Deno.test("a refused write records nothing, and an event that cannot be written undoes its write", async () => {
  await using server = await startTestServer();
  const before = (await events(server)).length;
  const taken = await api(server, "POST", "/v1/users", server.apiKey, { email: "admin@default.invalid" });
  assert.equal(taken.status, 409);
  assert.equal((await events(server)).length, before);
  // Without the events table the invitation's transaction fails as a whole: no user, no queued email.
  const db = new DatabaseSync(server.dbPath);
  db.exec("ALTER TABLE events RENAME TO events_gone");
  db.close();
  const failed = await api(server, "POST", "/v1/users", server.apiKey, { email: "cy@example.com" });
  assert.equal(failed.status, 500);
  assert.deepEqual(rows(server.dbPath, "SELECT count(*) AS n FROM users WHERE email = 'cy@example.com'"), [
    { n: 0 },
  ]);
  assert.deepEqual(rows(server.dbPath, "SELECT count(*) AS n FROM invitation_outbox"), [{ n: 0 }]);
});

Deno.test("failed authentications are one event per address and minute, with a count", async () => {
  const log: string[] = [];
  await using server = await startTestServer({ log: (line) => log.push(line) });
  const key = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", server.apiKey, {
    name: "soon revoked",
    scopes: [],
  });
  await api(server, "DELETE", `/v1/api-keys/${key.body.id}`, server.apiKey);
  const wrong = newSecret(SECRET_PREFIX.apiKey);
  for (let i = 0; i < 5; i++) assert.equal((await api(server, "GET", "/v1/me", wrong)).status, 401);
  for (let i = 0; i < 3; i++) assert.equal((await api(server, "GET", "/v1/me", key.body.key)).status, 401);
  // Counted in memory: nothing written yet.
  assert.deepEqual(rows(server.dbPath, "SELECT count(*) AS n FROM events WHERE action = 'auth.failed'"), [
    { n: 0 },
  ]);
  await server.server.service.flushBackground();
  const failures = rows(
    server.dbPath,
    "SELECT tenant_id, actor_credential_id, client_address, count FROM events WHERE action = 'auth.failed' ORDER BY count",
  );
  const tenantId = (await events(server)).at(-1)?.tenant_id;
  assert.deepEqual(failures, [
    { tenant_id: tenantId, actor_credential_id: key.body.id, client_address: "127.0.0.1", count: 3 },
    { tenant_id: null, actor_credential_id: null, client_address: "127.0.0.1", count: 5 },
  ]);
  // The tenant sees the failures of its own (revoked) key; unknown keys belong to no tenant.
  const seen = await events(server, "?action=auth.failed");
  assert.deepEqual(seen.map((e) => [e.actor_credential_id, e.count, e.target]), [[key.body.id, 3, null]]);
  assert.match(seen[0]?.time ?? "", /:00\.000Z$/);
  // More failures in the same minute add to the same row.
  await api(server, "GET", "/v1/me", wrong);
  await server.server.service.flushBackground();
  assert.deepEqual(
    rows(server.dbPath, "SELECT count FROM events WHERE action = 'auth.failed' AND tenant_id IS NULL"),
    [{ count: 6 }],
  );
  const text = log.join("\n");
  assert.ok(!text.includes(wrong) && !text.includes(key.body.key), "no secret in the log");
});

Deno.test("GET /v1/events pages newest first and filters by time, action, actor and target", async () => {
  await using server = await startTestServer();
  const invited: string[] = [];
  for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
    const r = await api<{ id: string }>(server, "POST", "/v1/users", server.apiKey, { email });
    invited.push(r.body.id);
  }
  const all = await events(server, "?action=user.invited");
  assert.deepEqual(all.map((e) => e.target), [...invited].reverse());
  const pages: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const page = await api<EventPage>(
      server,
      "GET",
      `/v1/events?action=user.invited&limit=2${query}`,
      server.apiKey,
    );
    pages.push(page.body.data.map((e) => e.target ?? "").join(","));
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  assert.deepEqual(pages, [`${invited[2]},${invited[1]}`, `${invited[0]}`]);
  // A cursor belongs to its filters.
  const first = await api<EventPage>(server, "GET", "/v1/events?action=user.invited&limit=2", server.apiKey);
  const crossed = await api<{ detail: string }>(
    server,
    "GET",
    `/v1/events?limit=2&cursor=${first.body.next_cursor}`,
    server.apiKey,
  );
  assert.equal(crossed.status, 400);
  assert.deepEqual((await events(server, `?target=${invited[1]}`)).map((e) => e.action), ["user.invited"]);
  const middle = all[1]?.time ?? "";
  assert.deepEqual(
    (await events(server, `?action=user.invited&since=${middle}`)).map((e) => e.target),
    [invited[2], invited[1]],
  );
  assert.deepEqual(
    (await events(server, `?action=user.invited&until=${middle}`)).map((e) => e.target),
    [invited[0]],
  );
  const actor = all[0]?.actor_user_id ?? "";
  assert.equal((await events(server, `?actor=${actor}&action=user.invited`)).length, 3);
  assert.equal((await events(server, `?actor=${all[0]?.actor_credential_id}&action=user.invited`)).length, 3);
  assert.equal((await events(server, "?actor=usr_nobody")).length, 0);

  const member = await server.createKey([]);
  const forbidden = await api<{ code: string; detail: string }>(server, "GET", "/v1/events", member);
  assert.deepEqual([forbidden.status, forbidden.body.code, forbidden.body.detail], [
    403,
    "FORBIDDEN",
    "Insufficient scope",
  ]);
  const badAction = await api<{ detail: string }>(
    server,
    "GET",
    "/v1/events?action=user.deleted",
    server.apiKey,
  );
  assert.equal(badAction.status, 400);
  assert.match(badAction.body.detail, /^Invalid "action" "user\.deleted": expected one of "user\.invited"/);
  const badSince = await api<{ detail: string }>(server, "GET", "/v1/events?since=1h", server.apiKey);
  assert.equal(
    badSince.body.detail,
    'Invalid "since" "1h": expected an RFC 3339 time such as 2030-01-31T00:00:00Z',
  );
  const unknown = await api<{ detail: string }>(server, "GET", "/v1/events?user=x", server.apiKey);
  assert.equal(
    unknown.body.detail,
    'Unknown query parameter "user": expected since, until, action, actor, target, limit or cursor',
  );
});

Deno.test("events older than --event-retention days go with the hourly purge; 0 keeps them", async (t) => {
  for (const [days, kept] of [[90, 0], [0, 1]] as const) {
    await t.step(`retention ${days}`, async () => {
      await using dir = await tempDir();
      let offset = 0;
      const service = await createService({
        dbPath: join(dir.path, "phyware.db"),
        outboxDir: join(dir.path, "outbox"),
        publicUrl: "http://phycloud.test",
        eventRetentionDays: days,
      }, { now: () => new Date(Date.now() + offset), purgeIntervalMs: 20 });
      try {
        const key = newSecret(SECRET_PREFIX.apiKey);
        await service.store.bootstrap({
          name: "default",
          adminEmail: "admin@default.invalid",
          apiKeyHash: hashSecret(key),
          now: new Date().toISOString(),
        });
        const count = () => rows(join(dir.path, "phyware.db"), "SELECT count(*) AS n FROM events")[0]?.n;
        assert.equal(count(), 2);
        offset = 89 * 24 * 60 * 60 * 1000;
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(count(), 2, "89 days old: kept");
        offset = 91 * 24 * 60 * 60 * 1000;
        for (let i = 0; i < 50 && count() !== kept * 2; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(count(), kept * 2);
      } finally {
        await service.close();
      }
    });
  }
});

Deno.test("a role change through PATCH /v1/users/{id} records user.role_changed with the old and new role", async () => {
  await using server = await startTestServer();
  const bob = await onboard(server, "bob@example.com", "admin");
  const key = await api<ApiKeyCreated>(server, "POST", "/v1/api-keys", bob.session, {
    name: "bob's",
    scopes: ["admin:users"],
  });
  const patched = await api(server, "PATCH", `/v1/users/${bob.id}`, server.apiKey, { role: "member" });
  assert.equal(patched.status, 200);
  const same = await api(server, "PATCH", `/v1/users/${bob.id}`, server.apiKey, { role: "member" });
  assert.equal(same.status, 200);
  const changed = await events(server, "?action=user.role_changed");
  assert.equal(changed.length, 1, "the same role again records nothing");
  assert.deepEqual(
    [changed[0]?.target, changed[0]?.details, changed[0]?.request_id],
    [bob.id, { from: "admin", to: "member", revoked_keys: 1 }, patched.headers.get("x-request-id")],
  );
  assert.equal((await api(server, "GET", "/v1/me", key.body.key)).status, 401);
});

Deno.test("at the default limits, a guessing client meets 429 and every attempt is still counted", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const statuses: number[] = [];
  for (let i = 0; i < DEFAULT_AUTH_FAILURE_LIMIT + 10; i++) {
    statuses.push((await api(server, "GET", "/v1/users", newSecret(SECRET_PREFIX.apiKey))).status);
  }
  assert.deepEqual(
    [statuses.filter((s) => s === 401).length, statuses.filter((s) => s === 429).length],
    [DEFAULT_AUTH_FAILURE_LIMIT, 10],
  );
  await server.server.service.flushBackground();
  assert.deepEqual(
    rows(server.dbPath, "SELECT count(*) AS n, sum(count) AS total FROM events WHERE action = 'auth.failed'"),
    [{ n: 1, total: DEFAULT_AUTH_FAILURE_LIMIT + 10 }],
  );
  // The tenant's own key still works from the same address, and its admin reads the log.
  assert.equal((await api(server, "GET", "/v1/events", server.apiKey)).status, 200);
});
