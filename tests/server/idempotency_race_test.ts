// One Idempotency-Key, one body, sent at once through two connections to one database: the write happens
// once and both are answered with the first answer. The handler's pre-check cannot hold this (both requests
// pass it before either writes); the lookup inside the write's transaction must.
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServerProcess } from "../../scripts/server_process.ts";
import type { UserDetails } from "../../src/api/types.ts";
import { hashSecret, newSecret } from "../../src/server/ids.ts";
import { openSqliteStore } from "../../src/server/store/sqlite.ts";
import type { IdempotencyWrite } from "../../src/server/store/types.ts";
import { holdWriteLock } from "../support/lock_holder.ts";
import { tempDir } from "../support/temp_dir.ts";

Deno.test("two store connections writing with one idempotency key: the second gets the first's stored answer", async () => {
  await using dir = await tempDir("phyware-idem-race-");
  const db = join(dir.path, "phyware.db");
  const a = openSqliteStore(db);
  const b = openSqliteStore(db);
  try {
    const now = new Date().toISOString();
    const { tenant, admin, apiKey } = await a.createTenant({
      name: "acme",
      adminEmail: "admin@acme.test",
      apiKeyHash: hashSecret(newSecret("phy_")),
      now,
    });
    const idem: IdempotencyWrite = {
      credentialId: apiKey.id,
      key: "one-key",
      requestHash: "hash-of-the-one-body",
      status: 201,
      expiredBefore: new Date(Date.now() - 86_400_000).toISOString(),
      render: (user) => JSON.stringify({ id: user.id, email: user.email }),
    };
    const invitation = {
      tenantId: tenant.id,
      email: "once@example.com",
      role: "member" as const,
      invitedBy: admin.id,
      now,
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    const first = await a.inviteUser(invitation, idem);
    assert.equal(first.kind, "created");
    // b went past the handler's pre-check before a wrote: only the lookup in its own transaction is left.
    const second = await b.inviteUser(invitation, idem);
    assert.equal(second.kind, "replay");
    if (first.kind !== "created" || second.kind !== "replay") return;
    assert.deepEqual(second.response, {
      requestHash: "hash-of-the-one-body",
      status: 201,
      body: JSON.stringify({ id: first.user.id, email: "once@example.com" }),
    });
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("two server processes on one database get the same key and body at once: both answer 201 with one user", async () => {
  await using dir = await tempDir("phyware-idem-race-");
  const db = join(dir.path, "phyware.db");
  const key = newSecret("phy_");
  await using one = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: key } });
  await using two = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: key } });
  const invite = (url: string) =>
    fetch(`${url}/v1/users`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "idempotency-key": "race-key-1",
      },
      body: JSON.stringify({ email: "race@example.com", role: "member" }),
    }).then(async (response) => ({
      status: response.status,
      replayed: response.headers.get("idempotent-replayed"),
      body: await response.json() as UserDetails & { code?: string },
    }));
  // While another process holds the write lock, both requests pass the pre-check (a read) and wait for the
  // lock; released well within the servers' 1 s lock wait, one writes and the other finds its answer.
  const lock = await holdWriteLock(db);
  const answers = Promise.all([invite(one.url), invite(two.url)]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await lock.release();
  const [x, y] = await answers;
  assert.equal(x.status, 201, JSON.stringify(x.body));
  assert.equal(y.status, 201, JSON.stringify(y.body));
  assert.equal(x.body.email, "race@example.com");
  assert.deepEqual(y.body, x.body);
  assert.deepEqual([x.replayed, y.replayed].sort(), ["true", null].sort());
  const listed = await fetch(`${one.url}/v1/users?limit=10`, { headers: { authorization: `Bearer ${key}` } });
  const users = await listed.json() as { data: UserDetails[] };
  assert.deepEqual(users.data.filter((u) => u.email === "race@example.com").map((u) => u.id), [x.body.id]);
});
