import { ensurePrivateFolder } from "./private_folder.ts";

// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/**
 * Writes a file only its owner may read or write (0600), whatever the umask, in a folder the caller has
 * checked (`ensurePrivateFolder`): an existing folder's mode is never changed. The text goes to a temporary
 * file first, renamed over the old one, so a reader never sees half a file.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  // Loaded on use: evaluating node:fs and node:path costs every command's start-up in Bun (bench/RESULTS.md).
  const { chmod, rename, rm, writeFile } = await import("node:fs/promises");
  await ensurePrivateFolder(process.getBuiltinModule("node:path").dirname(path));
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600, flag: "wx" });
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
