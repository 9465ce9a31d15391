/**
 * The identity of the database file (device and inode), checked before a write and before its commit is
 * acknowledged: a file deleted or replaced under a running server would otherwise keep taking writes into
 * an unlinked inode, every one of them lost at the next start.
 */
import { statSync } from "node:fs";

/** The database file was deleted or replaced while the server ran: no write is acknowledged any more. */
export class DatabaseFileLostError extends Error {
  constructor(path: string, what: "deleted" | "replaced") {
    super(
      what === "deleted"
        ? `Database file ${
          JSON.stringify(path)
        } was deleted while the server was running: writes are refused ` +
          "(503) from now on; stop the server and restore the file from a backup (a restart alone starts " +
          "from an empty database)"
        : `Database file ${
          JSON.stringify(path)
        } was replaced by another file while the server was running: writes ` +
          "are refused (503) from now on; restart the server to use the new file",
    );
    this.name = "DatabaseFileLostError";
  }
}

/** Device and inode of a file, or undefined when it does not exist. */
function identity(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "ENOENT") return undefined;
    throw error;
  }
}

/** Watches one database file's identity from the moment it was opened. */
export class FileIdentity {
  readonly #path: string;
  readonly #opened: string | undefined;
  #lost: DatabaseFileLostError | undefined;

  /** Takes the identity of `path` now (right after opening it). */
  constructor(path: string) {
    this.#path = path;
    this.#opened = identity(path);
  }

  /** Throws DatabaseFileLostError (again and again, once it has) when the file is gone or another file. */
  check(): void {
    if (this.#lost) throw this.#lost;
    const now = identity(this.#path);
    if (now === this.#opened) return;
    this.#lost = new DatabaseFileLostError(this.#path, now === undefined ? "deleted" : "replaced");
    throw this.#lost;
  }
}
