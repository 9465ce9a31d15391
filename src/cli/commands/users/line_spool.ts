import { removeOnSignal } from "../../../runtime/remove_on_signal.ts";

/** A private temporary copy of standard input, read again as a file and removed when disposed. */
export interface LineSpool extends AsyncDisposable {
  /** The copy: 0600, in a folder of its own that is 0700. */
  path: string;
}

/**
 * Copies bytes (standard input, which cannot be read twice) to a private temporary file, as they come, so a
 * bulk command can check them whole and then stream them again without holding them in memory. The copy is
 * removed when disposed, on an error, and on SIGINT, SIGTERM or SIGHUP (only kill -9 leaves it behind).
 */
export async function spoolBytes(input: AsyncIterable<Uint8Array>): Promise<LineSpool> {
  // Loaded on use: evaluating node:fs costs every command's start-up in Bun (bench/RESULTS.md).
  const { chmod, mkdir, open, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = join(tmpdir(), `phyware-stdin-${crypto.randomUUID()}`);
  // Taken over before the folder exists: a signal in between must not leave it behind.
  const forget = removeOnSignal(dir);
  const remove = async () => {
    await rm(dir, { recursive: true, force: true });
    forget();
  };
  try {
    await mkdir(dir, { mode: 0o700 });
    await chmod(dir, 0o700);
    const path = join(dir, "rows");
    const file = await open(path, "wx", 0o600);
    try {
      await file.chmod(0o600);
      for await (const chunk of input) await file.write(chunk);
    } finally {
      await file.close();
    }
    return { path, [Symbol.asyncDispose]: remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
