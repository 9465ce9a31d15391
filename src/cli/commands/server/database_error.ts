/** The server commands' words for a database that cannot be opened, shared by `start` and `tenant create`. */
import { PhywareError } from "../../../errors.ts";
import type { DatabaseOpenError, OpenFailure } from "../../../server/store/open.ts";

/** What to do about each reason a database cannot be opened, in the server commands' terms. */
export const OPEN_FAILURE_REMEDIATIONS: Readonly<Record<OpenFailure, string>> = {
  locked: "Another process (a second phyware server, a backup, an sqlite3 shell) holds its lock: " +
    "stop it or wait for it to finish, then start again",
  read_only: "Make the file, its -wal and -shm files and its folder writable by this user " +
    "(or mount the disk read-write), or pass --db with a writable path",
  not_a_database: "Restore the file from a backup, or pass --db with a new path (a new database is created)",
  disk_full: "Free space on the disk, then start again",
  too_new: "Upgrade phyware to the version that wrote it",
  refused_login: "Correct the user and password in the URL, or allow them in the server's pg_hba.conf",
  no_such_database: "Create it (createdb NAME, or CREATE DATABASE NAME) or correct its name in the URL",
  no_server: "Start PostgreSQL, or correct the host and port in --db (or PHYCLOUD_DATABASE_URL)",
  other: "Check --db: it must be a phyware SQLite database in a writable directory",
};

/** What to do about a PostgreSQL database that fails for a reason not told apart. */
export const POSTGRES_OTHER_REMEDIATION =
  "Check --db (or PHYCLOUD_DATABASE_URL): it must reach a PostgreSQL " +
  "database whose user may create tables in it";

/** The store's DatabaseOpenError as the CLI reports it: its message, and what to do. */
export function databaseOpenProblem(error: DatabaseOpenError): PhywareError {
  const remediation = error.failure === "other" && error.engine === "postgres"
    ? POSTGRES_OTHER_REMEDIATION
    : OPEN_FAILURE_REMEDIATIONS[error.failure];
  return new PhywareError(error.message, { remediation });
}
