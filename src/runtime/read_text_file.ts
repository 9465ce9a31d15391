import process from "node:process";

interface BunFiles {
  file(path: string): { text(): Promise<string> };
}

const ABSENT = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

function absent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && ABSENT.has(code);
}

/**
 * Reads a UTF-8 file; undefined when it (or a folder on its path) does not exist. Bun reads with its own
 * `Bun.file`, which spares start-up the evaluation of `node:fs`; other runtimes read synchronously (the
 * files are small, `.env`), as the promise version would start the thread pool.
 */
export async function readTextFile(path: string): Promise<string | undefined> {
  const bun = (globalThis as { Bun?: BunFiles }).Bun;
  try {
    if (bun) return await bun.file(path).text();
    return process.getBuiltinModule("node:fs").readFileSync(path, "utf8");
  } catch (error) {
    if (absent(error)) return undefined;
    throw error;
  }
}
