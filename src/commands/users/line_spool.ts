/** A private temporary copy of some lines, read again as a file and removed when disposed. */
export interface LineSpool extends AsyncDisposable {
  /** The copy: 0600, in a folder of its own that is 0700. */
  path: string;
}

/**
 * Copies lines (standard input, which cannot be read twice) to a private temporary file, so a bulk command can
 * check them whole and then stream them again without holding them in memory.
 */
export async function spoolLines(lines: AsyncIterable<string>): Promise<LineSpool> {
  // Loaded on use: evaluating node:fs costs every command's start-up in Bun (bench/RESULTS.md).
  const { chmod, mkdtemp, open, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), "phyware-stdin-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await chmod(dir, 0o700);
    const path = join(dir, "rows");
    const file = await open(path, "wx", 0o600);
    try {
      await file.chmod(0o600);
      let chunk = "";
      for await (const line of lines) {
        chunk += line + "\n";
        if (chunk.length >= 65536) (await file.write(chunk), chunk = "");
      }
      await file.write(chunk);
    } finally {
      await file.close();
    }
    return { path, [Symbol.asyncDispose]: remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
