/** The write transaction every store write runs in. */
import type { DatabaseSync } from "node:sqlite";

/** The disk (or SQLite's size limit) is full: the transaction was rolled back, nothing was written. */
export class DatabaseFullError extends Error {
  constructor() {
    super("The database's disk is full: nothing was written; free space on it");
    this.name = "DatabaseFullError";
  }
}

/** Whether a node:sqlite error is SQLITE_FULL, on Deno (message) and Bun (errcode). */
export function isDiskFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const errcode = "errcode" in error && typeof error.errcode === "number" ? error.errcode : undefined;
  return (errcode !== undefined && (errcode & 0xff) === 13) ||
    error.message.includes("database or disk is full");
}

/**
 * Runs `fn` in a write transaction: committed when it returns, rolled back when it throws. A full disk is
 * DatabaseFullError; SQLite has then often rolled back already, so ROLLBACK runs only while a transaction is
 * open (otherwise its own error, "no transaction is active", would hide the real one).
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    if (isDiskFull(error)) throw new DatabaseFullError();
    throw error;
  }
}
