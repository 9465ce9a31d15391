/** Opening the database for the service and for `server tenant create`, with one error for every failure. */
import { DatabaseBusyError, isBusy } from "./lock_wait.ts";
import { openSqliteStore, SchemaTooNewError, type SqliteStoreOptions } from "./sqlite.ts";
import { isDiskFull } from "./transaction.ts";
import type { Store } from "./types.ts";
import { databaseUrlScheme, displayLocation } from "./database_url.ts";

/** Why a database could not be opened; the command that opened it says what to do about each. */
export type OpenFailure =
  | "locked"
  | "read_only"
  | "not_a_database"
  | "disk_full"
  | "too_new"
  | "refused_login"
  | "no_such_database"
  | "no_server"
  | "other";

const PROBLEMS: Readonly<Record<OpenFailure, string>> = {
  locked: "it is locked by another process",
  read_only: "it is read-only here",
  not_a_database: "it is not a SQLite database, or it is damaged",
  disk_full: "the disk is full",
  too_new: "a newer phyware wrote it",
  refused_login: "the server refused the user or password",
  no_such_database: "the database does not exist",
  no_server: "no PostgreSQL server answers there",
  other: "it cannot be opened",
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The cause's detail after the problem, in brackets; for a lock, only how long it waited (if it did). */
function detailOf(failure: OpenFailure, error: unknown): string {
  if (error instanceof DatabaseBusyError) return ` (waited ${error.waitedMs} ms)`;
  return failure === "locked" ? "" : ` (${messageOf(error)})`;
}

/** Tells a locked, read-only, corrupt, full or too new database from other failures. */
export function classifyOpenFailure(error: unknown): OpenFailure {
  const message = messageOf(error);
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  if (["28P01", "28000"].includes(code)) return "refused_login";
  if (code === "3D000") return "no_such_database";
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "CONNECT_TIMEOUT"].includes(code)) {
    return "no_server";
  }
  if (isBusy(error)) return "locked";
  if (/readonly|read-only/i.test(message) || ["EACCES", "EPERM", "EROFS"].includes(code)) return "read_only";
  if (/file is not a database|malformed|corrupt/i.test(message)) return "not_a_database";
  if (isDiskFull(error) || code === "ENOSPC") return "disk_full";
  if (error instanceof SchemaTooNewError) return "too_new";
  return "other";
}

/** The database could not be opened or migrated; says which file or server and what is wrong (`failure`). */
export class DatabaseOpenError extends Error {
  /** The file or URL (its password hidden) that could not be opened. */
  readonly path: string;
  /** What is wrong with it. */
  readonly failure: OpenFailure;

  constructor(location: string, cause: unknown) {
    const failure = classifyOpenFailure(cause);
    const path = displayLocation(location);
    super(`Cannot open database ${JSON.stringify(path)}: ${PROBLEMS[failure]}${detailOf(failure, cause)}`, {
      cause,
    });
    this.name = "DatabaseOpenError";
    this.path = path;
    this.failure = failure;
  }
}

/**
 * Opens (creating and migrating when needed) the database `location` names: a `postgres://` URL is
 * PostgreSQL (its driver loaded only then), anything else a SQLite file; throws DatabaseOpenError.
 */
export async function openStore(location: string, options: SqliteStoreOptions = {}): Promise<Store> {
  try {
    if (databaseUrlScheme(location) !== undefined) {
      const { openPostgresStore } = await import("./postgres.ts");
      return await openPostgresStore(location);
    }
    return openSqliteStore(location, options);
  } catch (error) {
    throw new DatabaseOpenError(location, error);
  }
}
