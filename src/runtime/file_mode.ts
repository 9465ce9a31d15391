/** Permission bits of a file (such as 0o600); undefined when it does not exist. */
export async function fileMode(path: string): Promise<number | undefined> {
  // Loaded on use: evaluating node:fs costs every command's start-up in Bun (bench/RESULTS.md).
  const { stat } = await import("node:fs/promises");
  try {
    return (await stat(path)).mode & 0o777;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
