import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { hashSecret } from "../ids.ts";
import { MIGRATIONS } from "./migrations.ts";
import { openSqliteStore } from "./sqlite.ts";

Deno.test("migrations 4 and 5 keep a version 3 database's keys working and add the audit log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-migrate-" });
  try {
    const path = join(dir, "v3.db");
    const old = new DatabaseSync(path);
    for (const sql of MIGRATIONS.slice(0, 3)) old.exec(sql);
    old.exec("PRAGMA user_version = 3");
    old.exec(`
      INSERT INTO tenants VALUES ('ten_1', 'default', '2026-01-01T00:00:00.000Z');
      INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at)
        VALUES ('usr_1', 'ten_1', 'a@example.com', 'a@example.com', 'active', 'admin', '2026-01-01T00:00:00.000Z');
      INSERT INTO api_keys VALUES ('key_b', 'ten_1', 'usr_1', 'second', '["admin:users"]', '${
      hashSecret("phy_b")
    }', '2026-01-02T00:00:00.000Z', NULL);
      INSERT INTO api_keys VALUES ('key_a', 'ten_1', 'usr_1', 'first', '[]', '${
      hashSecret("phy_a")
    }', '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z');
    `);
    old.close();

    const store = openSqliteStore(path);
    try {
      const page = await store.listApiKeys({ tenantId: "ten_1", userId: undefined, afterSeq: 0, limit: 10 });
      assert.deepEqual(page.keys.map((k) => [k.id, k.revokedAt, k.expiresAt, k.lastUsedAt]), [
        ["key_a", "2026-01-03T00:00:00.000Z", null, null],
        ["key_b", null, null, null],
      ]);
      const now = "2026-02-01T00:00:00.000Z";
      assert.equal((await store.findPrincipal("api_key", hashSecret("phy_b"), now))?.credentialId, "key_b");
      assert.equal(await store.findPrincipal("api_key", hashSecret("phy_a"), now), undefined);
      assert.deepEqual(
        (await store.listEvents({
          tenantId: "ten_1",
          since: undefined,
          until: undefined,
          action: undefined,
          actor: undefined,
          target: undefined,
          afterSeq: 0,
          limit: 10,
        })).events,
        [],
      );
    } finally {
      await store.close();
    }
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      assert.equal(db.prepare("PRAGMA user_version").get()?.user_version, MIGRATIONS.length);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
