/** A temporary directory for a test, removed with its contents at the end of the scope. */

/** A temporary directory; `await using dir = await tempDir()` removes it at the end of the scope. */
export interface TempDir extends AsyncDisposable {
  /** Its absolute path. */
  path: string;
}

/** Makes a new temporary directory whose name starts with `prefix`. */
export async function tempDir(prefix = "phyware-test-"): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}
