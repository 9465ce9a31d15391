import { delay } from "./delay.ts";

// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/** A lock could not be taken in time: another process holds it and is alive. */
export class LockTimeoutError extends Error {
  constructor(readonly path: string, readonly holder: string) {
    super(`${path} is held by ${holder}`);
    this.name = "LockTimeoutError";
  }
}

/** How long to wait for a lock, and when a lock whose holder cannot be checked counts as abandoned. */
export interface LockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is abandoned whoever holds it (default 30 s; the work under it takes ms). */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.token === "string") {
      return { pid: value.pid, host: value.host, token: value.token };
    }
  } catch {
    // Half-written, or not ours: judged by its age alone.
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return codeOf(error) === "EPERM";
  }
}

/**
 * Takes an exclusive lock: a file created with O_EXCL beside what it guards, holding the owner's pid, host
 * and a random token. A lock whose holder is gone (same host, no such process) or that is older than
 * `staleMs` is removed, under a second short lock so that two waiters never both remove a fresh one.
 * Resolves to the function that releases it (it removes the file only while it is still this holder's).
 */
export async function lockFile(path: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  // Loaded on use: evaluating node:fs costs every command's start-up in Bun (bench/RESULTS.md).
  const fs = await import("node:fs/promises");
  const host = process.getBuiltinModule("node:os").hostname();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const me: Holder = { pid: process.pid, host, token: crypto.randomUUID() };
  const deadline = Date.now() + timeoutMs;

  const tryCreate = async (file: string, text: string): Promise<boolean> => {
    try {
      await fs.writeFile(file, text, { flag: "wx", mode: 0o600 });
      return true;
    } catch (error) {
      if (codeOf(error) === "EEXIST") return false;
      throw error;
    }
  };
  const read = async (file: string): Promise<{ text: string; ageMs: number } | undefined> => {
    try {
      const [text, info] = await Promise.all([fs.readFile(file, "utf8"), fs.stat(file)]);
      return { text, ageMs: Date.now() - info.mtimeMs };
    } catch (error) {
      if (codeOf(error) === "ENOENT") return undefined;
      throw error;
    }
  };
  const abandoned = (found: { text: string; ageMs: number }): boolean => {
    const holder = parseHolder(found.text);
    if (holder && holder.host === host && holder.pid !== process.pid && !alive(holder.pid)) return true;
    // A lock file being written has no holder yet for a moment: only its age condemns it.
    return found.ageMs > staleMs;
  };
  const breakStale = async (seen: string): Promise<void> => {
    const breaker = `${path}.break`;
    if (!(await tryCreate(breaker, JSON.stringify(me)))) {
      const other = await read(breaker);
      if (other && other.ageMs > 5_000) await fs.rm(breaker, { force: true });
      return;
    }
    try {
      // Still the same abandoned lock? Another waiter may have replaced it since it was read.
      const now = await read(path);
      if (now && now.text === seen && abandoned(now)) await fs.rm(path, { force: true });
    } finally {
      await fs.rm(breaker, { force: true });
    }
  };

  for (let attempt = 0;; attempt++) {
    if (await tryCreate(path, JSON.stringify(me))) break;
    const found = await read(path);
    if (found && abandoned(found)) {
      await breakStale(found.text);
      continue;
    }
    if (Date.now() >= deadline) {
      const holder = found ? parseHolder(found.text) : undefined;
      throw new LockTimeoutError(
        path,
        holder ? `process ${holder.pid} on ${holder.host}` : "another process",
      );
    }
    await delay(Math.min(5 * 2 ** Math.min(attempt, 4), 80) * (0.5 + Math.random()));
  }
  return async () => {
    const now = await read(path);
    if (now && parseHolder(now.text)?.token === me.token) await fs.rm(path, { force: true });
  };
}
