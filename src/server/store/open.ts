/** Opening the database for the service and for `server tenant create`, with one error for every failure. */
import { PhywareError, quoted } from "../../errors.ts";
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from "./sqlite.ts";

/** What to do when the database cannot be opened or migrated. */
export const DATABASE_OPEN_REMEDIATION =
  "Check --db: it must be a phyware SQLite database in a writable directory";

/** The database could not be opened or migrated; says which file, why, and what to do. */
export class DatabaseOpenError extends PhywareError {
  constructor(path: string, cause: unknown) {
    super(`Cannot open database ${quoted(path)}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      remediation: DATABASE_OPEN_REMEDIATION,
    });
  }
}

/** Opens (creating and migrating when needed) the SQLite database at `path`; throws DatabaseOpenError. */
export function openStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  try {
    return openSqliteStore(path, options);
  } catch (error) {
    throw new DatabaseOpenError(path, error);
  }
}
