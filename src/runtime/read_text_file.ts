import { readFileSync } from "node:fs";

/**
 * Reads a UTF-8 file; undefined when it (or a folder on its path) does not exist. The read is synchronous:
 * the files are small (`.env`), and the promise version hands the read to the thread pool, whose start
 * costs Bun milliseconds on every command that looks for a `.env`.
 */
export function readTextFile(path: string): Promise<string | undefined> {
  try {
    return Promise.resolve(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return Promise.resolve(undefined);
    return Promise.reject(error);
  }
}
