import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { BackgroundWrites, KEY_USE_INTERVAL_MS, MAX_PENDING, OVERFLOW_ADDRESS } from "./background_writes.ts";
import { openSqliteStore } from "./store/sqlite.ts";

async function withStore(fn: (path: string, writes: (now: () => Date) => BackgroundWrites) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "phyware-background-" });
  const path = join(dir, "phyware.db");
  const store = openSqliteStore(path);
  try {
    await fn(path, (now) =>
      new BackgroundWrites(store, now, (error) => {
        throw error;
      }));
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function all(path: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

Deno.test("failed logins past MAX_PENDING addresses are counted under one address: memory stays bounded", async () => {
  await withStore(async (path, make) => {
    const writes = make(() => new Date("2030-01-01T00:00:30.000Z"));
    for (let i = 0; i < MAX_PENDING + 5; i++) {
      const clientAddress = `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`;
      writes.authFailed({ tenantId: null, credentialId: null, clientAddress, requestId: "req_x" });
    }
    writes.authFailed({ tenantId: null, credentialId: null, clientAddress: "10.0.0.0", requestId: "req_y" });
    await writes.flush();
    assert.deepEqual(all(path, "SELECT count(*) AS n, sum(count) AS total FROM events"), [
      { n: MAX_PENDING + 1, total: MAX_PENDING + 6 },
    ]);
    assert.deepEqual(
      all(path, `SELECT count, time FROM events WHERE client_address = '${OVERFLOW_ADDRESS}'`),
      [{ count: 5, time: "2030-01-01T00:00:00.000Z" }],
    );
    assert.deepEqual(all(path, "SELECT count FROM events WHERE client_address = '10.0.0.0'"), [{ count: 2 }]);
  });
});

Deno.test("a key's use is queued at most once per KEY_USE_INTERVAL_MS, and a flush writes nothing twice", async () => {
  await withStore(async (path, make) => {
    let now = Date.parse("2030-01-01T00:00:00.000Z");
    const writes = make(() => new Date(now));
    const db = new DatabaseSync(path);
    db.exec(`INSERT INTO tenants VALUES ('ten_1', 't', '2030-01-01T00:00:00.000Z');
      INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at)
        VALUES ('usr_1', 'ten_1', 'a@x.io', 'a@x.io', 'active', 'admin', '2030-01-01T00:00:00.000Z');
      INSERT INTO api_keys (id, tenant_id, user_id, name, scopes, key_hash, created_at)
        VALUES ('key_1', 'ten_1', 'usr_1', 'k', '[]', 'h', '2030-01-01T00:00:00.000Z');`);
    db.close();
    const lastUsed = () => all(path, "SELECT last_used_at FROM api_keys")[0]?.last_used_at;
    writes.keyUsed("key_1");
    now += KEY_USE_INTERVAL_MS - 1;
    writes.keyUsed("key_1");
    await writes.flush();
    assert.equal(lastUsed(), "2030-01-01T00:00:00.000Z");
    now += 1;
    writes.keyUsed("key_1");
    await writes.flush();
    assert.equal(lastUsed(), "2030-01-01T00:01:00.000Z");
    await writes.flush();
    assert.equal(lastUsed(), "2030-01-01T00:01:00.000Z");
  });
});
