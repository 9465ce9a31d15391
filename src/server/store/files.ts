/**
 * The database's files are private whatever the umask: they hold emails and the cursor secret. The folder
 * is created 0700 and the file 0600 before SQLite opens it; SQLite creates the `-wal` and `-shm` files with
 * the database file's mode, so they are 0600 too.
 */
import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** Creates `dir` and its missing parents 0700 (the umask cannot widen that; chmod undoes any narrowing). */
export function makePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  // Every folder from the first one created down to `dir` is new: make each exactly 0700.
  let path = first;
  chmodSync(path, 0o700);
  for (const part of relative(first, dir).split(sep).filter((p) => p !== "")) {
    path = join(path, part);
    chmodSync(path, 0o700);
  }
}

/** Makes the database file (created when missing) and any `-wal` and `-shm` beside it 0600. */
export function preparePrivateDatabase(path: string): void {
  makePrivateDir(dirname(path));
  const fd = openSync(path, constants.O_RDONLY | constants.O_CREAT, 0o600);
  closeSync(fd);
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file) || (statSync(file).mode & 0o777) === 0o600) continue;
    try {
      chmodSync(file, 0o600);
    } catch {
      // Another user's file: SQLite reports what it can or cannot do with it.
    }
  }
}
