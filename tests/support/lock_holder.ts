/**
 * Another process holding a SQLite database's write lock (`BEGIN IMMEDIATE`), as a second phyware server or
 * a backup tool would: the lock is taken once `holdWriteLock` resolves and released when it is disposed.
 */

/** A child process inside `BEGIN IMMEDIATE` on a database. */
export interface LockHolder extends AsyncDisposable {
  /** Commits and ends the child. */
  release(): Promise<void>;
}

// The child takes the lock, says so, and commits when its stdin closes.
const SCRIPT = `
  import { DatabaseSync } from "node:sqlite";
  const db = new DatabaseSync(Deno.args[0]);
  db.exec("PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE");
  console.log("locked");
  for await (const _ of Deno.stdin.readable) {}
  db.exec("COMMIT");
  db.close();
`;

/** Starts a Deno child that holds the write lock of `dbPath` until released. */
export async function holdWriteLock(dbPath: string): Promise<LockHolder> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", SCRIPT, dbPath],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  while (!said.includes("locked\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`The lock holder ended before locking: ${await stderr}`);
    said += value;
  }
  reader.releaseLock();
  let released: Promise<void> | undefined;
  const release = () =>
    released ??= (async () => {
      await child.stdin.close();
      await child.stdout.cancel().catch(() => {});
      const status = await child.status;
      if (!status.success) throw new Error(`The lock holder failed: ${await stderr}`);
    })();
  return { release, [Symbol.asyncDispose]: release };
}
