/** The write transaction every store write runs in. */
import type { DatabaseSync } from "node:sqlite";

/** Runs `fn` in a write transaction: committed when it returns, rolled back when it throws. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
