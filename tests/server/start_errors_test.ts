// Issue 18 item 10: `server start` on a database another process holds locked, or on a read-only one, ends
// with one line naming the file and what to do, and exit code 1: never "Unexpected error".
import assert from "node:assert/strict";
import { chmod, rm } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { holdWriteLock } from "../support/lock_holder.ts";
import { startServerProcess } from "../../scripts/server_process.ts";
import { nobodyCanRun } from "../support/nobody.ts";
import { inCi } from "../support/programs.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const ROOT = process.getuid?.() === 0;

/**
 * As root the read-only case runs as the user nobody (uid 65534), who must be able to run this Deno and read
 * the source: not so when either sits under a private home folder (Deno from `npx` under /root, say).
 */

const READ_ONLY_RUNS = inCi() || !ROOT || await nobodyCanRun(MAIN);
if (!READ_ONLY_RUNS) {
  console.error(
    `skipped: the read-only start-up test runs as nobody under root, who cannot run ${Deno.execPath()} ` +
      `or read ${MAIN}`,
  );
}

/** A database a server has created and left (stopped cleanly), in a folder anyone may write to. */
async function existingDatabase(): Promise<{ dir: string; db: string }> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-start-errors-" });
  await chmod(dir, 0o777);
  const db = join(dir, "phyware.db");
  const server = await startServerProcess({
    db,
    env: { PHYCLOUD_BOOTSTRAP_API_KEY: newSecret(SECRET_PREFIX.apiKey) },
  });
  assert.equal((await server.stop("SIGTERM")).code, 0);
  return { dir, db };
}

/** `server start` on `db`; as root, as the user nobody (uid 65534: permissions do not stop root). */
async function start(db: string, asNobody: boolean): Promise<{ code: number; stderr: string }> {
  const home = await Deno.makeTempDir({ prefix: "phyware-nobody-" });
  await chmod(home, 0o777);
  const args = ["run", "-A", "--quiet", MAIN, "server", "start", "--port", "0", "--db", db];
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args,
      ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, DENO_DIR: join(home, "deno") },
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      // The old code started on a read-only database and ran: never wait forever.
      signal: AbortSignal.timeout(30_000),
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

Deno.test("server start on a database locked by another process: one line, exit 1", async () => {
  const { dir, db } = await existingDatabase();
  try {
    await using _lock = await holdWriteLock(db);
    const { code, stderr } = await start(db, false);
    assert.equal(code, 1, stderr);
    assert.equal(
      stderr,
      `error: Cannot open database "${db}": it is locked by another process ` +
        `(waited ${/waited (\d+) ms/.exec(stderr)?.[1]} ms) - Another process (a second phyware ` +
        "server, a backup, an sqlite3 shell) holds its lock: stop it or wait for it to finish, then start again\n",
    );
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test({
  name: "server start on a read-only database file: one line, exit 1",
  ignore: !READ_ONLY_RUNS,
  fn: async () => {
    const { dir, db } = await existingDatabase();
    try {
      // A read-only file in a writable folder: SQLite opens it read-only and only a write fails.
      await rm(`${db}-wal`, { force: true });
      await rm(`${db}-shm`, { force: true });
      await chmod(db, 0o444);
      const { code, stderr } = await start(db, ROOT);
      assert.equal(code, 1, stderr);
      assert.equal(
        stderr,
        `error: Cannot open database "${db}": it is read-only here (attempt to write a readonly database) - ` +
          "Make the file, its -wal and -shm files and its folder writable by this user (or mount the disk " +
          "read-write), or pass --db with a writable path\n",
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  },
});
