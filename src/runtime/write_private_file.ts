// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/**
 * Writes a file only its owner may read or write (0600), in a folder only its owner may enter (0700, created
 * when missing), whatever the umask. The text goes to a temporary file first, renamed over the old one, so a
 * reader never sees half a file.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  // Loaded on use: evaluating node:fs and node:path costs every command's start-up in Bun (bench/RESULTS.md).
  const { chmod, mkdir, rename, rm, writeFile } = await import("node:fs/promises");
  const dir = process.getBuiltinModule("node:path").dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
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
