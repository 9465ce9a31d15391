// Issue 18 item 9: a database file deleted or replaced under a running server is noticed (every second, and
// around every write): writes are refused with 503 and the log says what happened, once.
import assert from "node:assert/strict";
import { copyFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { delay } from "../../src/runtime/delay.ts";
import { newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { DatabaseFileLostError } from "../../src/server/store/file_identity.ts";
import { openStore } from "../../src/server/store/open.ts";
import { startServerProcess } from "../../scripts/server_process.ts";

async function invite(url: string, key: string, email: string) {
  const r = await fetch(`${url}/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  return { status: r.status, body: await r.json(), requestId: r.headers.get("x-request-id") };
}

for (const how of ["deleted", "replaced"] as const) {
  Deno.test(`a database file ${how} under the running server: writes get 503 and one log line says so`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "phyware-swap-" });
    const db = join(dir, "phyware.db");
    const key = newSecret(SECRET_PREFIX.apiKey);
    const server = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: key } });
    try {
      assert.equal((await invite(server.url, key, "before@example.com")).status, 201);
      if (how === "deleted") await rm(db);
      else {
        await copyFile(db, join(dir, "other.db"));
        await rename(join(dir, "other.db"), db);
      }
      // Found by the check every second, before any write.
      await delay(1500);
      const refused = await invite(server.url, key, "after@example.com");
      assert.equal(refused.status, 503);
      assert.equal(refused.body.code, "UNAVAILABLE");
      assert.equal(refused.body.detail, "The database is unavailable: its file was deleted or replaced");
      assert.equal(refused.body.request_id, refused.requestId);
      assert.equal((await invite(server.url, key, "again@example.com")).status, 503, "and stays refused");
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 503, "a health check sees it too");
      assert.equal((await health.json()).code, "UNAVAILABLE");
    } finally {
      // SIGTERM: the request log is flushed at a clean stop.
      assert.equal((await server.stop("SIGTERM")).code, 0);
    }
    const log = server.stderr();
    const lines = log.split("\n").filter((line) => line.includes("Database file"));
    const expected = how === "deleted"
      ? `error: Database file "${db}" was deleted while the server was running: writes are refused (503) ` +
        "from now on; stop the server and restore the file from a backup (a restart alone starts from an " +
        "empty database)"
      : `error: Database file "${db}" was replaced by another file while the server was running: writes ` +
        "are refused (503) from now on; restart the server to use the new file";
    assert.equal(lines.length, 1, log);
    assert.ok(lines[0]?.endsWith(expected), lines[0] ?? "");
    assert.ok(log.indexOf(expected) < log.indexOf(" POST /v1/users 503 "), "logged before the refused write");
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("a write whose file is deleted before its commit is not acknowledged, nor any write after", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-swap-" });
  const db = join(dir, "phyware.db");
  const store = await openStore(db);
  try {
    assert.equal(await store.setting("a", () => "1"), "1");
    // The file goes away inside the write's transaction: the commit lands in the unlinked file.
    const write = store.setting("b", () => {
      Deno.removeSync(db);
      return "2";
    });
    await assert.rejects(write, DatabaseFileLostError);
    await assert.rejects(store.setting("c", () => "3"), DatabaseFileLostError);
    await assert.rejects(store.verifyStorage(), DatabaseFileLostError);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
