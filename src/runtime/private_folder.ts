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
 * Makes sure a folder can hold private files (keys): created 0700 when missing; an existing one is used as it
 * is, never chmod-ed (it may be a shared folder, or a symlink to one), and refused when others may write to
 * it or another user owns it, as ssh refuses such a `~/.ssh`.
 */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  if (await checkPrivateFolder(folder)) return;
  // Loaded on use: evaluating node:fs costs every command's start-up in Bun (bench/RESULTS.md).
  const { chmod, mkdir } = await import("node:fs/promises");
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // Ours and new: 0700 whatever the umask.
  await chmod(folder, 0o700);
}

/**
 * Checks that an existing folder may hold private files, by the rules of ensurePrivateFolder (throws
 * UnsafeFolderError); false when it does not exist. Reading keys from a folder others can change is refused
 * as writing them there is.
 */
export async function checkPrivateFolder(folder: string): Promise<boolean> {
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
