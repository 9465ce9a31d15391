/**
 * Why a database cannot be opened, as the store says it: DatabaseOpenError, raised by opening a store and by
 * the steps of a service's start (its first write, the first start's bootstrap), and the causes it tells
 * apart. The commands that open a database (`server start`, `server tenant create`) say what to do about each.
 */
import { DatabaseBusyError, isBusy } from "./lock_wait.ts";
import { MIGRATIONS } from "./migrations.ts";
import { isDiskFull } from "./transaction.ts";
import { databaseUrlScheme, displayLocation } from "./database_url.ts";

/** Thrown when the database was written by a newer phyware. */
export class SchemaTooNewError extends Error {
  constructor(found: number, supported: number = MIGRATIONS.length) {
    super(`Database schema version ${found} is newer than this phyware supports (${supported})`);
    this.name = "SchemaTooNewError";
  }
}

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

/** A cause's text as it may be shown: any URL's user and password (a driver may quote the URL) hidden. */
function shownMessage(error: unknown): string {
  return messageOf(error).replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]*@/gi, "$1***@");
}

/** The cause's detail after the problem, in brackets; for a lock, only how long it waited (if it did). */
function detailOf(failure: OpenFailure, error: unknown): string {
  if (error instanceof DatabaseBusyError) return ` (waited ${error.waitedMs} ms)`;
  return failure === "locked" ? "" : ` (${shownMessage(error)})`;
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
  /** Which engine it is for: a PostgreSQL URL, else an SQLite file. */
  readonly engine: "sqlite" | "postgres";

  constructor(location: string, cause: unknown) {
    const failure = classifyOpenFailure(cause);
    const path = displayLocation(location);
    super(`Cannot open database ${JSON.stringify(path)}: ${PROBLEMS[failure]}${detailOf(failure, cause)}`, {
      cause,
    });
    this.name = "DatabaseOpenError";
    this.path = path;
    this.failure = failure;
    this.engine = databaseUrlScheme(location) === undefined ? "sqlite" : "postgres";
  }
}

/**
 * Runs a step of opening, or of a start on, the database at `location`: what it throws or rejects with is
 * the database's failure to open, a DatabaseOpenError naming it (one that already is passes as it is).
 */
export async function opening<T>(location: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof DatabaseOpenError ? error : new DatabaseOpenError(location, error);
  }
}
