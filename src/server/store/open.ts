/** Opening the database for the service and for `server tenant create`, with one error for every failure. */
import { PhywareError, quoted } from "../../errors.ts";
import { isBusy } from "./lock_wait.ts";
import { openSqliteStore, SchemaTooNewError, type SqliteStore, type SqliteStoreOptions } from "./sqlite.ts";
import { isDiskFull } from "./transaction.ts";

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

/** The database could not be opened or migrated; says which file, what is wrong, and what to do. */
export class DatabaseOpenError extends PhywareError {
  constructor(path: string, cause: unknown) {
    const { problem, remediation } = diagnoseOpenFailure(cause);
    super(`Cannot open database ${quoted(path)}: ${problem} (${messageOf(cause)})`, { remediation });
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
