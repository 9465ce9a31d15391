import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { integer, text } from "./row.ts";
import { tempDir } from "../../../tests/support/temp_dir.ts";
import { MIGRATIONS } from "./migrations.ts";
import { configureConnection, openSqliteStore } from "./sqlite.ts";

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

Deno.test("a database of schema 1 gains the invitation outbox when opened, keeping its data", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "old.db");
  const old = new DatabaseSync(path);
  old.exec(MIGRATIONS[0] ?? "");
  old.exec("PRAGMA user_version = 1");
  old.exec("INSERT INTO tenants (id, name, created_at) VALUES ('ten_1', 'old', '2026-01-01T00:00:00.000Z')");
  old.close();
  const store = openSqliteStore(path);
  try {
    assert.equal((await store.getTenant("ten_1"))?.name, "old");
    assert.equal(await store.outbox.pendingCount(), 0);
  } finally {
    await store.close();
  }
  const db = new DatabaseSync(path);
  try {
    const version = db.prepare("PRAGMA user_version").get();
    assert.equal(version && integer(version, "user_version"), MIGRATIONS.length);
  } finally {
    db.close();
  }
});
