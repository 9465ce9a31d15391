import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { MIGRATIONS } from "../../src/server/store/migrations.ts";
import type { AcceptResponse, ApiKeyCreated, UserDetails, UserPage } from "../../src/wire/mod.ts";
import { startTestServer } from "../support/server.ts";
import { invitationFrom } from "../support/smtp_sink.ts";
import { tempDir } from "../support/temp_dir.ts";

function post(url: string, token: string | undefined, json: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(json),
  });
}

Deno.test("over real sockets: 20 concurrent invites of one email give exactly one 201", async () => {
  await using server = await startTestServer();
  const responses = await Promise.all(
    Array.from(
      { length: 20 },
      () => post(`${server.url}/v1/users`, server.apiKey, { email: "same@example.com" }),
    ),
  );
  const statuses = await Promise.all(responses.map(async (r) => {
    await r.body?.cancel();
    return r.status;
  }));
  assert.deepEqual(statuses.sort(), [201, ...Array(19).fill(409)]);
});

Deno.test("over real sockets: concurrent accepts of one token give exactly one success", async () => {
  await using server = await startTestServer();
  await (await post(`${server.url}/v1/users`, server.apiKey, { email: "once@example.com" })).body?.cancel();
  await server.mailIdle();
  const [file] = [...Deno.readDirSync(server.outboxDir)];
  const { token } = invitationFrom(await Deno.readTextFile(`${server.outboxDir}/${file!.name}`));
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => post(`${server.url}/v1/invitations/accept`, undefined, { token })),
  );
  const statuses = await Promise.all(responses.map(async (r) => {
    await r.body?.cancel();
    return r.status;
  }));
  assert.deepEqual(statuses.sort(), [200, ...Array(19).fill(400)]);
});

Deno.test("every response has X-Request-Id, and a body over 64 KiB on the wire is 413", async () => {
  await using server = await startTestServer();
  for (const path of ["/v1/users", "/nope", "/healthz", "/accept"]) {
    const r = await fetch(`${server.url}${path}`);
    await r.body?.cancel();
    assert.match(r.headers.get("x-request-id") ?? "", /^req_/, path);
  }
  const big = await post(`${server.url}/v1/users`, server.apiKey, {
    email: "x@example.com",
    pad: "p".repeat(100_000),
  });
  assert.equal(big.status, 413);
  assert.equal(big.headers.get("content-type"), "application/problem+json");
  assert.equal((await big.json()).code, "VALIDATION_ERROR");
});

Deno.test("no raw key or token is found anywhere in the database files", async () => {
  await using server = await startTestServer();
  const secrets: string[] = [server.apiKey];
  await (await post(`${server.url}/v1/users`, server.apiKey, { email: "quinn@example.com" })).body
    ?.cancel();
  await (await post(`${server.url}/v1/users`, server.apiKey, { email: "rae@example.com" })).body?.cancel();
  await server.mailIdle();
  const tokens = await Promise.all(
    [...Deno.readDirSync(server.outboxDir)].map(async (f) =>
      invitationFrom(await Deno.readTextFile(`${server.outboxDir}/${f.name}`)).token
    ),
  );
  secrets.push(...tokens);
  const accepted = await (await post(`${server.url}/v1/invitations/accept`, undefined, { token: tokens[0] }))
    .json() as AcceptResponse;
  secrets.push(accepted.session.token);
  const key = await (await post(`${server.url}/v1/api-keys`, server.apiKey, { name: "k", scopes: [] }))
    .json() as ApiKeyCreated;
  secrets.push(key.key);
  secrets.push(await server.createKey(["admin:users"]));
  secrets.push((await server.createTenant("other")).apiKey);
  assert.equal(secrets.length, 7);

  const scan = (label: string) => {
    const bytes = [`${server.dbPath}`, `${server.dbPath}-wal`].flatMap((path) => {
      try {
        return [new TextDecoder("latin1").decode(Deno.readFileSync(path))];
      } catch {
        return [];
      }
    }).join("");
    assert.ok(bytes.length > 0);
    for (const secret of secrets) {
      // The random part alone would also be a leak, so look for it without the prefix.
      assert.ok(!bytes.includes(secret.slice(4)), `${label}: a secret is stored in clear`);
    }
  };
  scan("while running (database and WAL)");
  await server.server.close();
  scan("after close");
  using db = new DatabaseSync(server.dbPath);
  const row = db.prepare("SELECT count(*) AS n FROM api_keys WHERE key_hash = ?").get(
    await sha256(server.apiKey),
  ) as { n: number };
  assert.equal(row.n, 1, "keys are stored as their SHA-256");
});

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("a restart keeps every user, key and cursor, and does not bootstrap again", async () => {
  await using dir = await tempDir("phyware-restart-");
  const dbPath = `${dir.path}/phyware.db`;
  const first = await startTestServer({ dbPath });
  let ids: string[];
  let cursor: string;
  try {
    await first.seedUsers(250);
    for (const email of ["s1@example.com", "s2@example.com"]) {
      await (await post(`${first.url}/v1/users`, first.apiKey, { email })).body?.cancel();
    }
    const page = await (await fetch(`${first.url}/v1/users?limit=1000`, {
      headers: { authorization: `Bearer ${first.apiKey}` },
    })).json() as UserPage;
    ids = page.data.map((u) => u.id);
    cursor = (await (await fetch(`${first.url}/v1/users?limit=100`, {
      headers: { authorization: `Bearer ${first.apiKey}` },
    })).json() as UserPage).next_cursor!;
  } finally {
    await first.close();
  }
  assert.equal(ids.length, 253);
  await using second = await startTestServer({ dbPath });
  assert.equal(second.server.generatedApiKey, undefined);
  const auth = { authorization: `Bearer ${first.apiKey}` };
  const page = await (await fetch(`${second.url}/v1/users?limit=1000`, { headers: auth }))
    .json() as UserPage;
  assert.deepEqual(
    page.data.map((u) => u.id),
    ids,
    "the first start's key still works and sees every user",
  );
  const next = await fetch(`${second.url}/v1/users?limit=100&cursor=${cursor}`, { headers: auth });
  assert.equal(next.status, 200, "cursors survive a restart");
  await next.body?.cancel();
  const fresh = await fetch(`${second.url}/v1/me`, {
    headers: { authorization: `Bearer ${second.apiKey}` },
  });
  assert.equal(fresh.status, 401, "a later start never creates or changes keys");
  await fresh.body?.cancel();
  const user = await (await fetch(`${second.url}/v1/users/${ids[252]}`, { headers: auth }))
    .json() as UserDetails;
  assert.equal(user.email, "s2@example.com");
});

Deno.test("the database is in WAL mode at the current schema version", async () => {
  await using server = await startTestServer();
  using db = new DatabaseSync(server.dbPath);
  assert.equal((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
  assert.equal(
    (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    MIGRATIONS.length,
  );
});

Deno.test("startTestServer starts in milliseconds", async () => {
  const started = performance.now();
  const server = await startTestServer();
  const ms = performance.now() - started;
  await server.close();
  assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
});
