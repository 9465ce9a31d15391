/** Opening the database for the service and for `server tenant create`, with one error for every failure. */
import { openSqliteStore, type SqliteStoreOptions } from "./sqlite.ts";
import type { Store } from "./types.ts";
import { databaseUrlScheme } from "./database_url.ts";
import { opening } from "./open_error.ts";

export { classifyOpenFailure, DatabaseOpenError, type OpenFailure } from "./open_error.ts";

/**
 * Opens (creating and migrating when needed) the database `location` names: a `postgres://` URL is
 * PostgreSQL (its driver loaded only then), anything else a SQLite file; throws DatabaseOpenError.
 */
export function openStore(location: string, options: SqliteStoreOptions = {}): Promise<Store> {
  return opening(location, async () => {
    if (databaseUrlScheme(location) !== undefined) {
      const { openPostgresStore } = await import("./postgres.ts");
      return await openPostgresStore(location);
    }
    return openSqliteStore(location, options);
  });
}
