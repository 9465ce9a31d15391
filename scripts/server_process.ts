/**
 * The one way the tests, the bench, the demo and the release checks start a server as its own process and
 * wait for its listening line: `phyware server start --port 0` from this tree (under Deno or Bun), from a
 * built binary, or any program that prints such a line (a test's crash server, the bench's bare server).
 */
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { findBun } from "./release/bun_binary.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MAIN = join(ROOT, "main.ts");

/** What `phyware server start` prints first on stderr. */
export const LISTENING = /phyware server listening on (http:\/\/\S+)\n/;

/** How to start the server. */
export interface ServerProcessOptions {
  /** How phyware is run: "deno" (this tree's main.ts, the default), "bun" (main.ts under the pinned Bun), or a binary's path. */
  phyware?: "deno" | "bun" | string;
  /** Database of `server start --db` (default `:memory:`). */
  db?: string;
  /** More arguments after `server start --port 0 --db DB`. */
  args?: string[];
  /** A whole command line instead of `phyware server start ...` (a script printing the same kind of line). */
  command?: string[];
  /** Environment of the process, on top of PATH and HOME; nothing else is inherited. */
  env?: Record<string, string>;
  cwd?: string;
  /** The process's umask, set by a shell that then becomes the server. */
  umask?: string;
  /** The listening line; its first group is the URL (default: phyware's). */
  listening?: RegExp;
  /**
   * Send stdout and stderr to `FILE.out` and `FILE` instead of pipes, so the caller spends no CPU reading them
   * (the bench, while wrk runs); stdout() and stderr() then read the files.
   */
  logFile?: string;
  /** How long to wait for the listening line (default 30 s). */
  timeoutMs?: number;
}

/** A running server; disposing it kills it (SIGKILL) and waits for the exit. */
export interface ServerProcess extends AsyncDisposable {
  /** The URL of the listening line. */
  url: string;
  port: number;
  pid: number;
  /** Everything the process wrote on stderr so far (all of it once `stop` resolved). */
  stderr(): string;
  /** Everything the process wrote on stdout so far. */
  stdout(): string;
  /** The exit, once it happens. */
  status: Promise<Deno.CommandStatus>;
  /** Sends `signal` (default SIGTERM), SIGKILL after 10 s, and resolves with the exit once output is read. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

function readOr(file: string): string {
  try {
    return Deno.readTextFileSync(file);
  } catch {
    return "";
  }
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

async function phywareCommand(phyware: string): Promise<string[]> {
  if (phyware === "deno") return [Deno.execPath(), "run", "-A", "--quiet", MAIN];
  if (phyware === "bun") {
    return [await findBun(ROOT, pkg.devDependencies.bun, () => {}), "--no-env-file", MAIN];
  }
  return [phyware];
}

/** Starts the server and resolves once it printed its listening line; throws with its output when it does not. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const listening = options.listening ?? LISTENING;
  let argv = options.command ?? [
    ...await phywareCommand(options.phyware ?? "deno"),
    "server",
    "start",
    "--port",
    "0",
    "--db",
    options.db ?? ":memory:",
    ...(options.args ?? []),
  ];
  const logFile = options.logFile === undefined ? undefined : join(options.cwd ?? ".", options.logFile);
  if (options.umask !== undefined || logFile !== undefined) {
    // A shell sets what the runtime cannot (umask, output to files), then becomes the server.
    const umask = options.umask === undefined ? "" : `umask ${shellQuote(options.umask)} && `;
    const files = logFile === undefined ? "" : ` >${shellQuote(`${logFile}.out`)} 2>${shellQuote(logFile)}`;
    argv = ["sh", "-c", `${umask}exec "$0" "$@"${files}`, ...argv];
  }
  if (logFile !== undefined) {
    // An earlier process's files would show its listening line before the new one truncates them.
    for (const file of [logFile, `${logFile}.out`]) await Deno.remove(file).catch(() => {});
  }
  const [program, ...args] = argv as [string, ...string[]];
  const child = new Deno.Command(program, {
    args,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      ...(Deno.env.get("HOME") ? { HOME: Deno.env.get("HOME") as string } : {}),
      ...options.env,
    },
    clearEnv: true,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdin: "null",
    stdout: logFile === undefined ? "piped" : "null",
    stderr: logFile === undefined ? "piped" : "null",
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const texts = { out: "", err: "" };
  const drain = async (stream: ReadableStream<Uint8Array>, into: "out" | "err") => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) texts[into] += chunk;
  };
  // Read to the end, so the server never blocks on a full pipe.
  const drained = logFile === undefined
    ? Promise.all([drain(child.stdout, "out"), drain(child.stderr, "err")]).catch(() => {})
    : Promise.resolve();
  const readFiles = async () => {
    if (logFile === undefined) return;
    texts.err = await Deno.readTextFile(logFile).catch(() => "");
    texts.out = await Deno.readTextFile(`${logFile}.out`).catch(() => "");
  };
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    const timer = setTimeout(() => {
      if (!exited) child.kill("SIGKILL");
    }, 10_000);
    try {
      if (!exited) child.kill(signal);
    } catch { /* gone meanwhile */ }
    const result = await status;
    clearTimeout(timer);
    await drained;
    await readFiles();
    return result;
  };
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  let url: string | undefined;
  for (;;) {
    await readFiles();
    url = listening.exec(texts.err)?.[1] ?? listening.exec(texts.out)?.[1];
    if (url !== undefined) break;
    if (exited || performance.now() > deadline) {
      const why = exited ? `exited with ${(await status).code}` : "printed no listening line in time";
      await stop("SIGKILL");
      throw new Error(
        `The server "${argv.join(" ")}" ${why}:\n${(texts.err + texts.out).trim().slice(0, 2000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid,
    stderr: () => logFile === undefined ? texts.err : readOr(logFile),
    stdout: () => logFile === undefined ? texts.out : readOr(`${logFile}.out`),
    status,
    stop,
    [Symbol.asyncDispose]: async () => void await stop("SIGKILL"),
  };
}
