/** A users service in its own process (a `phyware server start`, or a test script printing the same line). */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A server process, once it has printed its listening line on stderr. */
export interface ServerProcess {
  child: Deno.ChildProcess;
  url: string;
  /** Everything the process writes on stdout, once it exits. */
  stdout: Promise<string>;
  /** Everything the process wrote on stderr, once it exits. */
  stderr: Promise<string>;
}

/** Runs `phyware server start --port 0 --db DB` with `PHYCLOUD_BOOTSTRAP_API_KEY=key`, under `umask` if given. */
export function spawnServer(
  db: string,
  key: string,
  extra: string[] = [],
  umask?: string,
): Promise<ServerProcess> {
  return spawnScript(MAIN, ["server", "start", "--port", "0", "--db", db, ...extra], {
    PHYCLOUD_BOOTSTRAP_API_KEY: key,
  }, umask);
}

/** Runs a Deno script that prints `phyware server listening on URL` on stderr first. */
export async function spawnScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  umask?: string,
): Promise<ServerProcess> {
  const deno = ["run", "-A", "--quiet", script, ...args];
  // The umask is a process setting: a shell sets it, then becomes the runtime.
  const [command, commandArgs] = umask === undefined
    ? [Deno.execPath(), deno]
    : ["sh", ["-c", `umask ${umask} && exec "$0" "$@"`, Deno.execPath(), ...deno]];
  const child = new Deno.Command(command, {
    args: commandArgs,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let err = "";
  while (!err.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) break;
    err += value;
  }
  const url = /^phyware server listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(err)?.[1];
  // Keep reading, so the server never blocks on a full pipe, and hand the whole text over at exit.
  const stderr = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return err;
      err += value;
    }
  })();
  if (!url) {
    child.kill("SIGKILL");
    throw new Error(`The server did not start:\n${await stderr}`);
  }
  return { child, url, stdout, stderr };
}

/** Kills the process (SIGKILL) unless it is gone, and waits for it. */
export async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch { /* already gone */ }
  await child.status;
}
