/**
 * The one module that touches the host runtime (Deno, Bun or Node): argv, env, exit, standard streams,
 * TTY facts, the home directory, signals and the native HTTP listener. Everything else gets these
 * through a `Context`, so it runs the same on every runtime and in tests.
 */
import process from "node:process";
import os from "node:os";
import { readFile } from "node:fs/promises";
import { write } from "node:fs";
import { isatty } from "node:tty";
import type { Context, Handler, Io, ListeningServer, ServeOptions, Writer } from "./context.ts";
import { BrokenPipeError, InterruptedError } from "./errors.ts";

interface DenoServer {
  addr: { port: number; hostname: string };
  shutdown(): Promise<void>;
  finished: Promise<void>;
}
interface DenoLike {
  stdout: { write(bytes: Uint8Array): Promise<number> };
  stderr: { write(bytes: Uint8Array): Promise<number> };
  serve(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: Handler,
  ): DenoServer;
}
interface BunServer {
  port: number;
  hostname: string;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}
interface BunLike {
  serve(options: {
    hostname: string;
    port: number;
    fetch: Handler;
    idleTimeout?: number;
  }): BunServer;
}

const host = globalThis as unknown as { Deno?: DenoLike; Bun?: BunLike };

/** Which runtime is executing phyware. */
export const runtimeName: "deno" | "bun" | "node" = host.Deno ? "deno" : host.Bun ? "bun" : "node";

/** Command-line arguments after the program name. */
export function argv(): string[] {
  return process.argv.slice(2);
}

/** Ends the process with the given code; only main.ts calls this. */
export function exit(code: number): never {
  process.exit(code);
}

function isBrokenPipe(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === "EPIPE" || e?.name === "BrokenPipe";
}

/** Writes some of `bytes` to the descriptor and returns how many were written. */
type WriteSome = (bytes: Uint8Array) => Promise<number>;

/**
 * The raw write of a descriptor. Deno's own `stdout.write` reports a partial write of a non-blocking pipe
 * truthfully, where its `node:fs` write loses the count on EAGAIN (and the loop below would resend bytes);
 * on Bun and Node, `fs.write` does. Neither builds a Node stream, which costs 4-5 ms of start-up in Bun.
 */
function rawWrite(fd: 1 | 2): WriteSome {
  const deno = host.Deno;
  if (deno) {
    const file = fd === 1 ? deno.stdout : deno.stderr;
    return (bytes) => file.write(bytes);
  }
  return (bytes) =>
    new Promise<number>((resolve, reject) =>
      write(fd, bytes, 0, bytes.length, null, (error, n) => error ? reject(error) : resolve(n))
    );
}

/** POSIX's PIPE_BUF on Linux and macOS: the largest atomic write to a pipe. */
const PIPE_BUF = 4096;

function isWouldBlock(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === "EAGAIN" || e?.name === "WouldBlock";
}

/**
 * Writes text to stdout or stderr in order: each write starts when the one before it has finished, partial
 * writes are continued, a full non-blocking pipe is waited for, and a reader that went away (EPIPE)
 * becomes BrokenPipeError.
 */
function fdWriter(fd: 1 | 2): Writer {
  const writeSome = rawWrite(fd);
  const encoder = new TextEncoder();
  let broken = false;
  let tail: Promise<void> = Promise.resolve();
  const writeAll = async (text: string): Promise<void> => {
    if (broken) throw new BrokenPipeError();
    const all = encoder.encode(text);
    // A pipe write of at most PIPE_BUF (4 KiB) bytes is atomic: on a non-blocking pipe it is written whole
    // or fails with EAGAIN, so no runtime can lose count of a partial write and send bytes twice.
    let offset = 0;
    while (offset < all.length) {
      try {
        offset += await writeSome(all.subarray(offset, offset + PIPE_BUF));
      } catch (error) {
        if (isBrokenPipe(error)) {
          broken = true;
          throw new BrokenPipeError();
        }
        if (!isWouldBlock(error)) throw error;
        await sleep(1);
      }
    }
  };
  return {
    write(text: string): Promise<void> {
      // `tail` never rejects (see below), so a failed write does not stop the ones after it.
      const done = tail.then(() => writeAll(text));
      tail = done.catch(() => {});
      return done;
    },
  };
}

// node:readline is loaded only when a prompt is shown, to keep it off every command's start-up.
async function readLine(prompt: string): Promise<string | null> {
  const { createInterface } = await import("node:readline");
  return await new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    rl.on("SIGINT", () => {
      answered = true;
      rl.close();
      process.stdin.pause();
      process.stderr.write("\n");
      reject(new InterruptedError());
    });
    rl.on("close", () => {
      if (!answered) resolve(null);
    });
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      process.stdin.pause();
      resolve(answer);
    });
  });
}

function realIo(): Io {
  return {
    stdout: fdWriter(1),
    stderr: fdWriter(2),
    stdinIsTerminal: isatty(0),
    stdoutIsTerminal: isatty(1),
    stderrIsTerminal: isatty(2),
    readLine,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

async function readTextFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
    throw error;
  }
}

function homeDir(): string | undefined {
  try {
    const dir = os.homedir();
    return dir === "" ? undefined : dir;
  } catch {
    return undefined;
  }
}

/** Starts an HTTP listener with the runtime's own server (Deno.serve, Bun.serve, or node:http). */
export async function serve(handler: Handler, options: ServeOptions): Promise<ListeningServer> {
  if (host.Deno) {
    const deno = host.Deno;
    // Deno binds synchronously (and calls onListen before serve() returns), so addr is ready here; the
    // no-op onListen also keeps Deno from printing its own "Listening on" line to stdout.
    const server = deno.serve({ ...options, onListen: () => {} }, handler);
    return {
      port: server.addr.port,
      hostname: server.addr.hostname,
      close: () => server.shutdown(),
    };
  }
  if (host.Bun) {
    // No maxRequestBodySize: the app reads bodies as streams and answers 413 past 64 KiB itself, with a
    // problem body and a request id, which Bun's own early 413 would not have.
    const server = host.Bun.serve({ ...options, fetch: handler, idleTimeout: 30 });
    return {
      port: server.port,
      hostname: server.hostname,
      close: async () => {
        await server.stop(false);
      },
    };
  }
  return await serveNode(handler, options);
}

async function serveNode(handler: Handler, options: ServeOptions): Promise<ListeningServer> {
  const http = await import("node:http");
  const server = http.createServer(async (req, res) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    const method = req.method ?? "GET";
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string") headers.set(k, v);
      else if (Array.isArray(v)) { for (const item of v) headers.append(k, item); }
    }
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.hostname, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    hostname: options.hostname,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Builds the Context of a real process: real streams, env, fetch, clock and signals. */
export function createContext(): Context {
  let shutdown: AbortController | undefined;
  const shutdownSignal = (): AbortSignal => {
    if (!shutdown) {
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      shutdown = controller;
    }
    return shutdown.signal;
  };
  return {
    io: realIo(),
    env: process.env,
    fetch: globalThis.fetch.bind(globalThis),
    now: () => new Date(),
    sleep,
    cwd: process.cwd(),
    homeDir: homeDir(),
    platform: os.platform(),
    readTextFile,
    serve,
    shutdownSignal,
  };
}
