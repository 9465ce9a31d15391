// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/** Why a folder cannot hold private files; the caller words it for the user. */
export class UnsafeFolderError extends Error {
  constructor(readonly folder: string, readonly reason: string, readonly fix: string) {
    super(`${folder}: ${reason}`);
    this.name = "UnsafeFolderError";
  }
}

/**
 * Creates a folder for private files, with its missing parents: every folder it creates is exactly 0700
 * whatever the umask (mkdir's mode cannot be widened by it; a chmod undoes any narrowing). A folder that is
 * already there, and every existing parent, is left as it is: neither chmod-ed (it may be shared, or a symlink
 * to a shared one) nor checked; ensurePrivateFolder checks it. True when it created `folder`. Synchronous, for
 * the store, which opens its database synchronously; errors are node:fs's (EACCES, EEXIST, ENOTDIR...).
 */
export function createPrivateFolder(folder: string): boolean {
  // Loaded on use: evaluating node:fs and node:path costs every command's start-up in Bun (bench/RESULTS.md).
  const { chmodSync, mkdirSync } = process.getBuiltinModule("node:fs");
  const { join, relative, sep } = process.getBuiltinModule("node:path");
  const first = mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (first === undefined) return false;
  // Every folder from the first one created down to `folder` is new (and ours): make each exactly 0700.
  let path = first;
  chmodSync(path, 0o700);
  for (const part of relative(first, folder).split(sep).filter((p) => p !== "")) {
    path = join(path, part);
    chmodSync(path, 0o700);
  }
  return true;
}

/**
 * Makes sure a folder can hold private files (keys): created as createPrivateFolder does when missing; an
 * existing one is used as it is, never chmod-ed (it may be a shared folder, or a symlink to one), and refused
 * when others may write to it or another user owns it, as ssh refuses such a `~/.ssh`.
 */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  if (await checkPrivateFolder(folder)) return;
  createPrivateFolder(folder);
}

/**
 * Checks that an existing folder may hold private files, by the rules of ensurePrivateFolder (throws
 * UnsafeFolderError); false when it does not exist. Reading keys from a folder others can change is refused
 * as writing them there is.
 */
export async function checkPrivateFolder(folder: string): Promise<boolean> {
  // Loaded on use: evaluating node:fs costs every command's start-up in Bun (bench/RESULTS.md).
  const { stat } = await import("node:fs/promises");
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ENOENT") throw error;
    return false;
  }
  if (!info.isDirectory()) throw new UnsafeFolderError(folder, "it is not a folder", "Point it at a folder");
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new UnsafeFolderError(
      folder,
      `it belongs to another user (uid ${info.uid})`,
      "Use a folder of your own",
    );
  }
  if (process.platform !== "win32" && (info.mode & 0o022) !== 0) {
    const mode = (info.mode & 0o7777).toString(8).padStart(4, "0");
    throw new UnsafeFolderError(
      folder,
      `others can write to it (mode ${mode})`,
      `Run chmod go-w ${JSON.stringify(folder)}, or use a folder of your own`,
    );
  }
  return true;
}
