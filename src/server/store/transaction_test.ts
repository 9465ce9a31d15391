import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { DatabaseFullError, transaction } from "./transaction.ts";

Deno.test("a full disk is reported as a full disk, and nothing of the transaction is kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-full-" });
  const db = new DatabaseSync(join(dir, "full.db"));
  try {
    db.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x TEXT)");
    // SQLite's page limit fails exactly as a full disk does (SQLITE_FULL), and rolls the transaction back.
    db.exec("PRAGMA max_page_count = 10");
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    assert.throws(
      () =>
        transaction(db, () => {
          for (let i = 0; i < 100; i++) insert.run("x".repeat(1000));
        }),
      (error) => error instanceof DatabaseFullError && /disk is full/.test(error.message),
    );
    assert.equal(db.isTransaction, false);
    assert.deepEqual({ ...db.prepare("SELECT count(*) AS n FROM t").get() }, { n: 0 });
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
