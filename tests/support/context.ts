import type { Context, ServerHost, Writer } from "../../src/context.ts";
import { serve } from "../../src/runtime/serve.ts";
import { run } from "../../src/cli/mod.ts";
import { delay } from "../../src/runtime/delay.ts";
import { fileMode } from "../../src/runtime/file_mode.ts";
import { readLines } from "../../src/runtime/read_lines.ts";
import { readTextFile, readTextFileUpTo } from "../../src/runtime/read_text_file.ts";
import { writePrivateFile } from "../../src/runtime/write_private_file.ts";

/** A Writer that keeps what was written. */
export class BufferWriter implements Writer {
  text = "";
  write(text: string): Promise<void> {
    this.text += text;
    return Promise.resolve();
  }
}

/** Options of a test Context. */
export interface TestContextOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  files?: Record<string, string>;
  terminal?: boolean;
  /** Answers given to prompts, in order; null is end of input. */
  answers?: Array<string | null>;
  fetch?: typeof fetch;
  /** What standard input holds. */
  stdin?: string;
  /** The context's sleep (default: the wait, cut to 50 ms). */
  sleep?: (ms: number) => Promise<void>;
}

/** A Context with string buffers, a chosen terminal, and no global state. */
export function testContext(options: TestContextOptions = {}): {
  ctx: Context;
  stdout: BufferWriter;
  stderr: BufferWriter;
  prompts: string[];
} {
  const stdout = new BufferWriter();
  const stderr = new BufferWriter();
  const prompts: string[] = [];
  const answers = [...(options.answers ?? [])];
  const terminal = options.terminal ?? false;
  const files = options.files ?? {};
  const ctx: Context = {
    io: {
      stdout,
      stderr,
      stdinIsTerminal: terminal,
      stdoutIsTerminal: terminal,
      stderrIsTerminal: terminal,
      readLine(prompt) {
        prompts.push(prompt);
        return Promise.resolve(answers.length > 0 ? answers.shift() ?? null : null);
      },
      readSecret(prompt) {
        prompts.push(prompt);
        return Promise.resolve(answers.length > 0 ? answers.shift() ?? null : null);
      },
      readStdin: () => Promise.resolve(options.stdin ?? ""),
      async *openStdin() {
        if (options.stdin) yield new TextEncoder().encode(options.stdin);
      },
    },
    env: options.env ?? {},
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    now: () => new Date(),
    sleep: options.sleep ?? ((ms) => delay(Math.min(ms, 50))),
    cwd: options.cwd ?? "/nonexistent-phyware-test-cwd",
    homeDir: undefined,
    platform: "linux",
    // Files given in `files` first, then the real file system (key files, config.json in a temp dir).
    readTextFile: async (path, read) =>
      files[path] ??
        await (read?.limit === undefined ? readTextFile(path) : readTextFileUpTo(path, read.limit)),
    readLines: (path) =>
      path === "-"
        ? (async function* () {
          yield* (options.stdin ?? "").split("\n").filter((line, i, all) =>
            i < all.length - 1 || line !== ""
          );
        })()
        : readLines(path),
    fileMode: async (path) => path in files ? 0o600 : await fileMode(path),
    writePrivateFile,
  };
  return { ctx, stdout, stderr, prompts };
}

/** The real listener, and a shutdown signal that never fires (tests that stop the server pass their own). */
export const testHost: ServerHost = { serve, shutdownSignal: () => new AbortController().signal };

/** What one in-process run of the CLI produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  prompts: string[];
}

/** Runs the CLI in process through run(argv, context). */
export async function runCli(argv: string[], options: TestContextOptions = {}): Promise<CliResult> {
  const { ctx, stdout, stderr, prompts } = testContext(options);
  const code = await run(argv, ctx, testHost);
  return { code, stdout: stdout.text, stderr: stderr.text, prompts };
}

/** Runs the CLI as a real subprocess (`deno run main.ts`), with exactly the given environment. */
export async function runCliProcess(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = new URL("../../main.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", main, ...argv],
    env: { ...runtimeEnv(), ...(options.env ?? {}) },
    clearEnv: true,
    cwd: options.cwd ?? Deno.cwd(),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** The variables Deno itself needs to run (cache location, PATH), and nothing of phyware's. */
function runtimeEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}
