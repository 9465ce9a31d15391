/**
 * `phyware server start` from source as a child process, under Deno or under Bun (the runtime of the
 * release binaries), on 127.0.0.1 and a free port, with its request log collected. For what only a real
 * listener shows: what the runtime answers by itself, raw sockets, disconnects.
 */
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const MAIN = join(ROOT, "main.ts");

/** A runtime to run the server under. */
export type ServerRuntime = "deno" | "bun";

/** A running server process; disposing it kills the process and removes its database. */
export interface ServerProcess extends AsyncDisposable {
  /** The bound port. */
  port: number;
  /** The bootstrap admin key of tenant "default". */
  apiKey: string;
  /** Everything written on stderr so far (the listening line, then the request log). */
  stderr(): string;
}

/** Starts the server under `runtime` with extra `args` (after `server start`). */
export async function startServerProcess(
  runtime: ServerRuntime,
  args: string[] = [],
): Promise<ServerProcess> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-server-process-" });
  const apiKey = `phy_${crypto.randomUUID().replaceAll("-", "")}`;
  const serverArgs = ["server", "start", "--port", "0", "--db", join(dir, "phyware.db"), ...args];
  const [program, programArgs] = runtime === "deno"
    ? [Deno.execPath(), ["run", "-A", "--quiet", MAIN, ...serverArgs]]
    : [await findBun(ROOT, pkg.devDependencies.bun, () => {}), ["--no-env-file", MAIN, ...serverArgs]];
  const child = new Deno.Command(program, {
    args: programArgs,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", PHYCLOUD_BOOTSTRAP_API_KEY: apiKey },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const drained = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += value;
    }
  })();
  const dispose = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await drained;
    await Deno.remove(dir, { recursive: true });
  };
  const started = Date.now();
  let port: number | undefined;
  while (port === undefined) {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\n/.exec(text);
    if (match) port = Number(match[1]);
    else if (Date.now() - started > 30_000) {
      await dispose();
      throw new Error(`The server did not start under ${runtime}:\n${text}`);
    } else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { port, apiKey, stderr: () => text, [Symbol.asyncDispose]: dispose };
}

/** Sends raw bytes on a new connection and returns everything read until the peer closes or `ms` pass. */
export async function rawRequest(port: number, text: string, ms = 2000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), ms);
  let out = "";
  try {
    await conn.write(new TextEncoder().encode(text));
    const decoder = new TextDecoder();
    for await (const chunk of conn.readable) out += decoder.decode(chunk, { stream: true });
  } catch {
    /* closed by the timer, or reset by the peer */
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* already closed */ }
  }
  return out;
}
