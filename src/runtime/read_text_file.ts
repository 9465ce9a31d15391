// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

interface BunFiles {
  file(path: string): { text(): Promise<string> };
  mmap?(path: string): Uint8Array;
}

// A folder is no absence: reading one fails with EISDIR, so "no such file" is never said of a folder.
const ABSENT = new Set(["ENOENT", "ENOTDIR"]);

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function absent(error: unknown): boolean {
  const code = errorCode(error);
  return typeof code === "string" && ABSENT.has(code);
}

/**
 * Reads a UTF-8 file; undefined when it (or a folder on its path) does not exist; a folder throws EISDIR.
 *
 * Bun maps the file (`Bun.mmap`, synchronous, about 0.1 ms): its `Bun.file().text()` starts the thread pool
 * and cost a whole `users get` 3-4 ms for the `.env` lookup alone, and `node:fs` costs more to evaluate
 * (bench/RESULTS.md, "Client start-up"). What cannot be mapped (an empty file, a pipe such as
 * `--api-key-file <(...)`, a folder, a platform without mmap) is read with `Bun.file().text()`. Other
 * runtimes read synchronously (the files are small: `.env`, a key file, config.json), as the promise
 * version would start the thread pool.
 */
export async function readTextFile(path: string): Promise<string | undefined> {
  const bun = (globalThis as { Bun?: BunFiles }).Bun;
  try {
    if (bun) {
      if (bun.mmap) {
        try {
          return new TextDecoder().decode(bun.mmap(path));
        } catch (error) {
          if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return undefined;
        }
      }
      return await bun.file(path).text();
    }
    return process.getBuiltinModule("node:fs").readFileSync(path, "utf8");
  } catch (error) {
    if (absent(error)) return undefined;
    throw error;
  }
}

/**
 * At most `limit` + 1 bytes of a UTF-8 file, as text: enough to tell a file over the limit, whatever it is (a
 * pipe, `/dev/zero`, a huge file), without reading the rest; undefined when it does not exist.
 */
export async function readTextFileUpTo(path: string, limit: number): Promise<string | undefined> {
  const { open } = await import("node:fs/promises");
  try {
    const file = await open(path, "r");
    try {
      const buffer = new Uint8Array(limit + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      return new TextDecoder().decode(buffer.subarray(0, length));
    } finally {
      await file.close();
    }
  } catch (error) {
    if (absent(error)) return undefined;
    throw error;
  }
}
