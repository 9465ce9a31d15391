/** Opening the database for the service and for `server tenant create`, with one error for every failure. */
import { PhywareError, quoted } from "../../errors.ts";
import { isBusy } from "./lock_wait.ts";
import { openSqliteStore, SchemaTooNewError, type SqliteStoreOptions } from "./sqlite.ts";
import { isDiskFull } from "./transaction.ts";
import type { Store } from "./types.ts";

/** What to do when the database cannot be opened or migrated for a reason not known better. */
export const DATABASE_OPEN_REMEDIATION =
  "Check --db: it must be a phyware SQLite database in a writable directory";

/** Why a database could not be opened, in words, and what to do about it. */
export interface OpenDiagnosis {
  /** What is wrong ("locked by another process", "read-only", ...). */
  problem: string;
  remediation: string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Tells a locked, read-only, corrupt, full or too new database from other failures. */
export function diagnoseOpenFailure(error: unknown): OpenDiagnosis {
  const message = messageOf(error);
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  if (["28P01", "28000"].includes(code)) {
    return {
      problem: "the server refused the user or password",
      remediation: "Correct the user and password in the URL, or allow them in the server's pg_hba.conf",
    };
  }
  if (code === "3D000") {
    return {
      problem: "the database does not exist",
      remediation: "Create it (createdb NAME, or CREATE DATABASE) or correct its name in the URL",
    };
  }
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "CONNECT_TIMEOUT"].includes(code)) {
    return {
      problem: "no PostgreSQL server answers there",
      remediation: "Start PostgreSQL, or correct the host and port in --db (or PHYCLOUD_DATABASE_URL)",
    };
  }
  if (isBusy(error)) {
    return {
      problem: "it is locked by another process",
      remediation: "Another process (a second phyware server, a backup, an sqlite3 shell) holds its lock: " +
        "stop it or wait for it to finish, then start again",
    };
  }
  if (/readonly|read-only/i.test(message) || ["EACCES", "EPERM", "EROFS"].includes(code)) {
    return {
      problem: "it is read-only here",
      remediation: "Make the file, its -wal and -shm files and its folder writable by this user " +
        "(or mount the disk read-write), or pass --db with a writable path",
    };
  }
  if (/file is not a database|malformed|corrupt/i.test(message)) {
    return {
      problem: "it is not a SQLite database, or it is damaged",
      remediation: "Restore the file from a backup, or pass --db with a new path (a new database is created)",
    };
  }
  if (isDiskFull(error) || code === "ENOSPC") {
    return { problem: "the disk is full", remediation: "Free space on the disk, then start again" };
  }
  if (error instanceof SchemaTooNewError) {
    return {
      problem: "a newer phyware wrote it",
      remediation: "Upgrade phyware to the version that wrote it",
    };
  }
  return { problem: "it cannot be opened", remediation: DATABASE_OPEN_REMEDIATION };
}

/** The URL schemes `--db` takes besides a SQLite file path; each picks the engine it names. */
export const DATABASE_URL_SCHEMES = ["postgres", "postgresql"] as const;

/** The scheme of a `--db` value written as a URL (`scheme://...`), lower-cased; undefined for a file path. */
export function databaseUrlScheme(location: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
}

/** The location with a URL's password replaced, for every message and log line. */
export function displayLocation(location: string): string {
  if (databaseUrlScheme(location) === undefined) return location;
  try {
    const url = new URL(location);
    if (url.password !== "") url.password = "***";
    return url.href;
  } catch {
    return "(a database URL that cannot be parsed)";
  }
}

/** The database could not be opened or migrated; says which file or server, what is wrong, and what to do. */
export class DatabaseOpenError extends PhywareError {
  constructor(location: string, cause: unknown) {
    const { problem, remediation } = diagnoseOpenFailure(cause);
    super(`Cannot open database ${quoted(displayLocation(location))}: ${problem} (${messageOf(cause)})`, {
      remediation,
    });
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
