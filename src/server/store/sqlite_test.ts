import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { integer, text } from "./row.ts";
import { configureConnection } from "./sqlite.ts";

Deno.test("every connection runs in WAL mode with synchronous=FULL: each acknowledged commit is durable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-pragmas-" });
  const path = join(dir, "phyware.db");
  const db = new DatabaseSync(path);
  try {
    configureConnection(db, path, 100);
    const journal = db.prepare("PRAGMA journal_mode").get();
    assert.equal(journal && text(journal, "journal_mode"), "wal");
    const synchronous = db.prepare("PRAGMA synchronous").get();
    assert.equal(synchronous && integer(synchronous, "synchronous"), 2, "2 is FULL");
    const keys = db.prepare("PRAGMA foreign_keys").get();
    assert.equal(keys && integer(keys, "foreign_keys"), 1);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
