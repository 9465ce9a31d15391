/**
 * The database's files are private whatever the umask: they hold emails and the cursor secret. The folder
 * is created 0700 when missing (an existing one is used as it is: createPrivateFolder) and the file 0600
 * before SQLite opens it; SQLite creates the `-wal` and `-shm` files with the database file's mode, so they
 * are 0600 too.
 */
import { chmodSync, closeSync, constants, existsSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { createPrivateFolder } from "../../runtime/private_folder.ts";

/** Makes the database file (created when missing) and any `-wal` and `-shm` beside it 0600. */
export function preparePrivateDatabase(path: string): void {
  createPrivateFolder(dirname(path));
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
