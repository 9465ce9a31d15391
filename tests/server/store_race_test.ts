import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { hashSecret, newSecret } from "../../src/server/ids.ts";
import { openSqliteStore } from "../../src/server/store/sqlite.ts";
import { EmailTakenError } from "../../src/server/store/types.ts";
import { tempDir } from "../support/temp_dir.ts";

const SQLITE_STORE = new URL("../../src/server/store/sqlite.ts", import.meta.url).href;

function invitation(tenantId: string, invitedBy: string, email: string) {
  const now = new Date().toISOString();
  return {
    tenantId,
    email,
    role: "member" as const,
    invitedBy,
    tokenHash: hashSecret(newSecret("phi_")),
    now,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
}

async function withDb(fn: (db: string) => Promise<void>): Promise<void> {
  await using dir = await tempDir("phyware-race-");
  await fn(join(dir.path, "phyware.db"));
}

Deno.test("two store instances on one file cannot both invite one email: the database refuses it", async () => {
  await withDb(async (db) => {
    const a = openSqliteStore(db);
    const b = openSqliteStore(db);
    try {
      const { tenant, admin } = await a.createTenant({
        name: "acme",
        adminEmail: "admin@acme.test",
        apiKeyHash: hashSecret(newSecret("phy_")),
        now: new Date().toISOString(),
      });
      // The store's methods never throw synchronously: a refusal is a rejection.
      const results = await Promise.allSettled([
        a.inviteUser(invitation(tenant.id, admin.id, "race@example.com")),
        b.inviteUser(invitation(tenant.id, admin.id, "RACE@example.com")),
      ]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.ok(refused.reason instanceof EmailTakenError, String(refused.reason));
    } finally {
      await a.close();
      await b.close();
    }
  });
});

Deno.test("processes racing to invite one email on one database: exactly one succeeds", async () => {
  await withDb(async (db) => {
    const setup = openSqliteStore(db);
    const { tenant, admin } = await setup.createTenant({
      name: "acme",
      adminEmail: "admin@acme.test",
      apiKeyHash: hashSecret(newSecret("phy_")),
      now: new Date().toISOString(),
    });
    await setup.close();
    const go = `${db}.go`;
    // Each process opens its own connection, then waits for the same start signal and invites.
    const script = `
      import { openSqliteStore } from ${JSON.stringify(SQLITE_STORE)};
      const store = openSqliteStore(${JSON.stringify(db)});
      console.log("ready");
      while (true) { try { Deno.statSync(${
      JSON.stringify(go)
    }); break; } catch { await new Promise((r) => setTimeout(r, 1)); } }
      const now = new Date().toISOString();
      try {
        await store.inviteUser({ tenantId: ${
      JSON.stringify(tenant.id)
    }, email: "race@example.com", role: "member",
          invitedBy: ${JSON.stringify(admin.id)}, tokenHash: crypto.randomUUID(), now, expiresAt: now });
        console.log("created");
      } catch (error) {
        console.log(error.name);
      }
      await store.close();
    `;
    const children = Array.from({ length: 4 }, () =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", "--quiet", script],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn());
    const stderrs = children.map((child) => new Response(child.stderr).text());
    const readers = children.map((child) => child.stdout.pipeThrough(new TextDecoderStream()).getReader());
    const texts = children.map(() => "");
    // Wait until every process has its connection open, so they really start together.
    await Promise.all(readers.map(async (reader, i) => {
      while (!texts[i]!.includes("ready\n")) {
        const { done, value } = await reader.read();
        if (done) break;
        texts[i] += value;
      }
    }));
    await Deno.writeTextFile(go, "");
    await Promise.all(readers.map(async (reader, i) => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        texts[i] += value;
      }
    }));
    for (const [i, child] of children.entries()) {
      assert.equal((await child.status).code, 0, String(await stderrs[i]));
    }
    const said = texts.map((text) => text.trim().split("\n").pop());
    assert.deepEqual(said.sort(), ["EmailTakenError", "EmailTakenError", "EmailTakenError", "created"]);
  });
});

Deno.test("uniqueness is a partial unique index on (tenant_id, email_key) over pending and active users", () => {
  // Read the schema of a real migrated file, as the service makes it.
  return withDb(async (db) => {
    await openSqliteStore(db).close();
    using sqlite = new DatabaseSync(db);
    const indexes = sqlite.prepare("PRAGMA index_list('users')").all() as Array<
      { name: string; unique: number; partial: number }
    >;
    const live = indexes.find((i) => i.name === "users_live_email");
    assert.ok(live, JSON.stringify(indexes));
    assert.equal(live.unique, 1);
    assert.equal(live.partial, 1);
    const columns = (sqlite.prepare("PRAGMA index_info('users_live_email')").all() as Array<{ name: string }>)
      .map((c) => c.name);
    assert.deepEqual(columns, ["tenant_id", "email_key"]);
    const { sql } = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'users_live_email'")
      .get() as {
        sql: string;
      };
    assert.match(sql, /WHERE status != 'inactive'$/);
  });
});
