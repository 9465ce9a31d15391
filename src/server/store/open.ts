/** Opening the database for the service and for `server tenant create`, with one error for every failure. */
import { isBusy } from "./lock_wait.ts";
import { openSqliteStore, SchemaTooNewError, type SqliteStore, type SqliteStoreOptions } from "./sqlite.ts";
import { isDiskFull } from "./transaction.ts";

/** Why a database could not be opened; the command that opened it says what to do about each. */
export type OpenFailure = "locked" | "read_only" | "not_a_database" | "disk_full" | "too_new" | "other";

const PROBLEMS: Readonly<Record<OpenFailure, string>> = {
  locked: "it is locked by another process",
  read_only: "it is read-only here",
  not_a_database: "it is not a SQLite database, or it is damaged",
  disk_full: "the disk is full",
  too_new: "a newer phyware wrote it",
  other: "it cannot be opened",
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Tells a locked, read-only, corrupt, full or too new database from other failures. */
export function classifyOpenFailure(error: unknown): OpenFailure {
  const message = messageOf(error);
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  if (isBusy(error)) return "locked";
  if (/readonly|read-only/i.test(message) || ["EACCES", "EPERM", "EROFS"].includes(code)) return "read_only";
  if (/file is not a database|malformed|corrupt/i.test(message)) return "not_a_database";
  if (isDiskFull(error) || code === "ENOSPC") return "disk_full";
  if (error instanceof SchemaTooNewError) return "too_new";
  return "other";
}

/** The database could not be opened or migrated; says which file and what is wrong (`failure`). */
export class DatabaseOpenError extends Error {
  /** The file that could not be opened. */
  readonly path: string;
  /** What is wrong with it. */
  readonly failure: OpenFailure;

  constructor(path: string, cause: unknown) {
    const failure = classifyOpenFailure(cause);
    super(`Cannot open database ${JSON.stringify(path)}: ${PROBLEMS[failure]} (${messageOf(cause)})`, {
      cause,
    });
    this.name = "DatabaseOpenError";
    this.path = path;
    this.failure = failure;
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
