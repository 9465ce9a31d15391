// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

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

/**
 * The owner's uid when a file belongs to another user than this process's; undefined when it is this user's,
 * does not exist, or the platform has no uids (Windows).
 */
export async function otherOwner(path: string): Promise<number | undefined> {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const { stat } = await import("node:fs/promises");
  try {
    const owner = (await stat(path)).uid;
    return owner === uid ? undefined : owner;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
