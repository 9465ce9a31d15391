// Several `phyware server start` processes on one PostgreSQL database, as an operator runs them: behind HAProxy,
// one of them killed with kill -9 and started again while clients invite, list, get and deactivate. Nothing
// acknowledged may be lost or duplicated, every acknowledged invite is mailed, and a deactivated user's
// credentials are refused by every instance.
import assert from "node:assert/strict";
import { type ServerProcess, startServerProcess } from "../../scripts/server_process.ts";
import { needsHaproxy, startHaproxy } from "../support/haproxy.ts";
import { freePort, needsPostgres, startPostgres } from "../support/postgres.ts";
import { invitationFrom, startSmtpSink } from "../support/smtp_sink.ts";
import { createService, type Service } from "../../src/server/mod.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";

const KEY = `phy_${"k".repeat(8)}${crypto.randomUUID().replaceAll("-", "")}`;

function instance(db: string, port: number, smtpUrl: string): Promise<ServerProcess> {
  return startServerProcess({
    db,
    // --port 0 comes first: the later --port wins, so a restarted instance is where HAProxy expects it.
    args: [
      "--port",
      String(port),
      "--smtp-url",
      smtpUrl,
      "--rate-limit",
      "0",
      "--tenant-rate-limit",
      "0",
      "--invite-rate-limit",
      "0",
      "--tenant-invite-rate-limit",
      "0",
    ],
    env: { PHYCLOUD_BOOTSTRAP_API_KEY: KEY },
  });
}

async function call(url: string, method: string, path: string, token: string, body?: unknown, headers = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

// An invite as a careful client sends it: one Idempotency-Key per user, the same key on every retry, retried
// while the answer is a 502/503 or the connection fails (the instance it reached died under it).
async function inviteUntilAnswered(lb: string, email: string): Promise<string> {
  const key = crypto.randomUUID();
  let last = "";
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const r = await call(lb, "POST", "/v1/users", KEY, { email, role: "member" }, {
        "idempotency-key": key,
      });
      if (r.status === 201) return r.body.id as string;
      if (![502, 503, 504].includes(r.status)) {
        throw new Error(`Invite of ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      }
      last = `${r.status}`;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("Invite of")) throw error;
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Invite of ${email} never answered: ${last}`);
}

async function allUsers(url: string): Promise<{ id: string; email: string; status: string }[]> {
  const users = [];
  let cursor: string | null = null;
  do {
    const r: {
      status: number;
      body: { data: { id: string; email: string; status: string }[]; next_cursor: string | null };
    } = await call(
      url,
      "GET",
      `/v1/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      KEY,
    );
    assert.equal(r.status, 200);
    users.push(...r.body.data);
    cursor = r.body.next_cursor;
  } while (cursor !== null);
  return users;
}

Deno.test({
  name:
    "three instances behind HAProxy, one killed with kill -9 and restarted: nothing lost or doubled, all mailed, revocation everywhere",
  ...needsPostgres(),
  ...needsHaproxy(),
  async fn() {
    await using cluster = await startPostgres();
    const db = await cluster.database();
    await using sink = await startSmtpSink();
    const ports = [freePort(), freePort(), freePort()];
    const instances: ServerProcess[] = [];
    // Started together: the migrations run once (an advisory lock) and one of them bootstraps the tenant.
    instances.push(...await Promise.all(ports.map((port) => instance(db, port, sink.smtpUrl))));
    try {
      await using lb = await startHaproxy(ports);
      const emails = Array.from({ length: 90 }, (_, i) => `person${i}@example.com`);
      const acknowledged = new Map<string, string>();
      let sent = 0;
      const killer = (async () => {
        while (sent < 30) await new Promise((resolve) => setTimeout(resolve, 10));
        const victim = instances[1] as ServerProcess;
        await victim.stop("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, 500));
        instances[1] = await instance(db, ports[1] as number, sink.smtpUrl);
      })();
      // Three clients at once, each its share of the emails.
      await Promise.all([0, 1, 2].map(async (client) => {
        for (let i = client; i < emails.length; i += 3) {
          const email = emails[i] as string;
          acknowledged.set(email, await inviteUntilAnswered(lb.url, email));
          sent++;
        }
      }));
      await killer;

      // Every acknowledged user is there once, on every instance and through the balancer.
      for (const url of [lb.url, ...instances.map((p) => p.url)]) {
        const users = (await allUsers(url)).filter((u) => u.email.startsWith("person"));
        assert.equal(users.length, emails.length, url);
        assert.deepEqual(new Set(users.map((u) => u.id)), new Set(acknowledged.values()));
      }
      // One user by id from each instance.
      const someId = acknowledged.get("person7@example.com") as string;
      for (const p of instances) {
        assert.equal((await call(p.url, "GET", `/v1/users/${someId}`, KEY)).status, 200);
      }

      // Every acknowledged invite is mailed at least once (rows the killed instance held are sent after their lease).
      const deadline = Date.now() + 90_000;
      let mailed = new Set<string>();
      while (Date.now() < deadline) {
        mailed = new Set((await sink.messages()).map((raw) => invitationFrom(raw).to));
        if (emails.every((e) => mailed.has(e))) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.deepEqual(emails.filter((e) => !mailed.has(e)), []);

      // A user accepts (a session), is deactivated through one instance, and every instance refuses the session.
      const raw = (await sink.messages()).findLast((m) =>
        invitationFrom(m).to === "person3@example.com"
      ) as string;
      const accepted = await fetch(`${instances[2]?.url}/v1/invitations/accept`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: invitationFrom(raw).token }),
      });
      const session = (await accepted.json()).session.token as string;
      for (const p of instances) assert.equal((await call(p.url, "GET", "/v1/me", session)).status, 200);
      const id = acknowledged.get("person3@example.com") as string;
      const off = await call(instances[0]?.url ?? "", "POST", `/v1/users/${id}/deactivate`, KEY);
      assert.equal(off.status, 200);
      for (const p of instances) {
        assert.equal((await call(p.url, "GET", "/v1/me", session)).status, 401, p.url);
      }
    } finally {
      await Promise.all(instances.map((p) => p.stop("SIGKILL")));
    }
  },
});

Deno.test({
  name:
    "a lost PostgreSQL answers 503 with Retry-After, never a hang or a 500, and the instance serves again when it is back",
  ...needsPostgres(),
  async fn() {
    await using cluster = await startPostgres();
    const db = await cluster.database();
    const log: string[] = [];
    const service = await createService(
      {
        dbPath: db,
        outboxDir: "/nonexistent",
        publicUrl: "http://phycloud.test",
        rateLimit: 0,
        tenantRateLimit: 0,
      },
      { log: (line) => log.push(line) },
    );
    try {
      const key = newSecret(SECRET_PREFIX.apiKey);
      await service.store.bootstrap({
        name: "default",
        adminEmail: "admin@default.invalid",
        apiKeyHash: hashSecret(key),
        now: new Date().toISOString(),
      });
      const get = (path: string) =>
        service.handler(
          new Request(`http://phycloud.test${path}`, { headers: { authorization: `Bearer ${key}` } }),
        );
      assert.equal((await get("/v1/users")).status, 200);
      await cluster.stop();
      for (const path of ["/v1/users", "/v1/me"]) {
        const started = performance.now();
        const down = await get(path);
        assert.equal(down.status, 503, path);
        assert.equal(down.headers.get("retry-after"), "1");
        assert.equal((await down.json()).code, "UNAVAILABLE");
        assert.ok(performance.now() - started < 5_000, "answered at once");
      }
      await cluster.start();
      let back = 0;
      for (let i = 0; i < 50 && back !== 200; i++) {
        back = (await get("/v1/users")).status;
        if (back !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(back, 200);
      assert.deepEqual(log.filter((line) => / 500 /.test(line)), []);
    } finally {
      await service.close();
    }
  },
});

Deno.test({
  name: "three instances on one PostgreSQL: a tenant's 120 invitations a minute admit at most 120 in all",
  ...needsPostgres(),
  async fn() {
    await using cluster = await startPostgres();
    const db = await cluster.database();
    const services: Service[] = [];
    for (let i = 0; i < 3; i++) {
      services.push(
        await createService({
          dbPath: db,
          outboxDir: "/nonexistent",
          publicUrl: "http://phycloud.test",
          rateLimit: 0,
          tenantRateLimit: 0,
          inviteRateLimit: 0,
          tenantInviteRateLimit: 120,
        }),
      );
    }
    try {
      const key = newSecret(SECRET_PREFIX.apiKey);
      await services[0]?.store.bootstrap({
        name: "default",
        adminEmail: "admin@default.invalid",
        apiKeyHash: hashSecret(key),
        now: new Date().toISOString(),
      });
      const started = Date.now();
      const statuses = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
        const service = services[i % 3] as Service;
        const response = await service.handler(
          new Request("http://phycloud.test/v1/users", {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ email: `limit${i}@example.com`, role: "member" }),
          }),
        );
        if (response.status === 429) {
          assert.equal(response.headers.get("retry-after"), "1");
          assert.match(response.headers.get("ratelimit-policy") ?? "", /"tenant-invitations";q=120;w=60/);
        }
        await response.body?.cancel();
        return response.status;
      }));
      const seconds = (Date.now() - started) / 1000;
      const created = statuses.filter((s) => s === 201).length;
      // The tolerance is what the bucket refills while the requests run: 2 a second.
      assert.ok(
        created >= 120 && created <= 120 + Math.ceil(seconds * 2),
        `${created} created in ${seconds} s`,
      );
      assert.equal(statuses.filter((s) => s === 429).length, 200 - created);
    } finally {
      for (const service of services) await service.close();
    }
  },
});
