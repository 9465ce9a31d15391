import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { delay } from "../../src/runtime/delay.ts";
import { classifyOpenFailure, DatabaseOpenError, openStore } from "../../src/server/store/open.ts";
import { OPEN_FAILURE_REMEDIATIONS } from "../../src/cli/commands/server/database_error.ts";
import { startServerProcess } from "../../scripts/server_process.ts";

const mode = (path: string) => (Deno.statSync(path).mode ?? 0) & 0o777;

Deno.test("the database, its -wal and -shm, and the outbox are 0600 in 0700 folders, even under umask 000", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-modes-" });
  const data = join(dir, "new", "data");
  const db = join(data, "phyware.db");
  const key = `phy_${"M".repeat(43)}`;
  const server = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: key }, umask: "000" });
  try {
    const r = await fetch(`${server.url}/v1/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "m@example.com" }),
    });
    await r.body?.cancel();
    assert.equal(r.status, 201);
    const outbox = join(data, "outbox");
    const findEml = () => [...safeList(outbox)].find((name) => name.endsWith(".eml"));
    for (let i = 0; i < 250 && findEml() === undefined; i++) await delay(20);
    const eml = findEml();
    assert.ok(eml, "the invitation was written");
    assert.deepEqual(
      Object.fromEntries(
        [db, `${db}-wal`, `${db}-shm`, join(outbox, eml)].map((file) => [file.slice(dir.length), mode(file)]),
      ),
      Object.fromEntries(
        [db, `${db}-wal`, `${db}-shm`, join(outbox, eml)].map((file) => [file.slice(dir.length), 0o600]),
      ),
    );
    for (const folder of [join(dir, "new"), data, outbox]) assert.equal(mode(folder), 0o700, folder);
  } finally {
    await server.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

function* safeList(dir: string): Iterable<string> {
  try {
    for (const entry of Deno.readDirSync(dir)) yield entry.name;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

Deno.test("start-up on a locked, corrupt, read-only or full database says which, and what to do", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-open-" });
  try {
    await t.step("locked by another process", async () => {
      const path = join(dir, "locked.db");
      const holder = new DatabaseSync(path);
      try {
        holder.exec("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)");
        await assert.rejects(openStore(path, { busyTimeoutMs: 50 }), (error) => {
          assert.ok(error instanceof DatabaseOpenError);
          assert.match(
            error.message,
            /^Cannot open database ".*locked\.db": it is locked by another process( \(waited \d+ ms\))?$/,
          );
          assert.equal(error.failure, "locked");
          assert.match(OPEN_FAILURE_REMEDIATIONS[error.failure], /holds its lock: stop it or wait/);
          return true;
        });
      } finally {
        holder.close();
      }
    });
    await t.step("corrupt", async () => {
      const path = join(dir, "junk.db");
      await Deno.writeTextFile(
        path,
        "this is not a database, but it is long enough to look like one ".repeat(100),
      );
      await assert.rejects(openStore(path), (error) => {
        assert.ok(error instanceof DatabaseOpenError);
        assert.match(
          error.message,
          /it is not a SQLite database, or it is damaged \(file is not a database\)/,
        );
        assert.equal(error.failure, "not_a_database");
        assert.match(
          OPEN_FAILURE_REMEDIATIONS[error.failure],
          /^Restore the file from a backup, or pass --db with a new path/,
        );
        return true;
      });
    });
    await t.step("read-only (SQLite's own error: permissions do not stop root, who runs CI here)", () => {
      const path = join(dir, "ro.db");
      new DatabaseSync(path).close();
      const readOnly = new DatabaseSync(path, { readOnly: true });
      let failure: unknown;
      try {
        readOnly.exec("CREATE TABLE t (x)");
      } catch (error) {
        failure = error;
      } finally {
        readOnly.close();
      }
      assert.equal(classifyOpenFailure(failure), "read_only");
      assert.match(OPEN_FAILURE_REMEDIATIONS.read_only, /writable by this user/);
      const denied = Object.assign(new Error("EACCES: permission denied, open"), { code: "EACCES" });
      assert.equal(classifyOpenFailure(denied), "read_only");
    });
    await t.step("full disk (SQLite's page limit fails as a full disk does)", () => {
      const path = join(dir, "full.db");
      const db = new DatabaseSync(path);
      let failure: unknown;
      try {
        db.exec("CREATE TABLE t (x); PRAGMA max_page_count = 3");
        for (let i = 0; i < 100; i++) db.prepare("INSERT INTO t VALUES (?)").run("x".repeat(1000));
      } catch (error) {
        failure = error;
      } finally {
        db.close();
      }
      assert.equal(classifyOpenFailure(failure), "disk_full");
      assert.equal(OPEN_FAILURE_REMEDIATIONS.disk_full, "Free space on the disk, then start again");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
