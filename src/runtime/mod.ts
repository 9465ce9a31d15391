/**
 * The runtime folder is the only code that touches the host runtime (Deno, Bun or Node): argv, env, exit,
 * standard streams, TTY facts, the home directory, signals and the native HTTP listener, one capability a
 * file. Everything else gets these through a `Context` (and `server start` through a `ServerHost`), so it
 * runs the same on every runtime and in tests.
 */
import type { Context, ServerHost } from "../context.ts";
import { delay } from "./delay.ts";
import { fdWriter } from "./fd_writer.ts";
import { fileMode } from "./file_mode.ts";
import { isTerminal } from "./is_terminal.ts";
import { openStdin } from "./open_stdin.ts";
import { readLine } from "./read_line.ts";
import { readLines } from "./read_lines.ts";
import { readSecret } from "./read_secret.ts";
import { readStdin } from "./read_stdin.ts";
import { readTextFile, readTextFileUpTo } from "./read_text_file.ts";
import { serve } from "./serve.ts";
import { shutdownSignal } from "./shutdown_signal.ts";
import { writePrivateFile } from "./write_private_file.ts";

// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

export { argv, exit } from "./process.ts";

// `node:os` is loaded only when a command asks for the home folder: its evaluation costs Bun about 5 ms,
// a quarter of a whole `users get` (bench/RESULTS.md, "Client start-up").
function homeDir(): string | undefined {
  try {
    const dir = process.getBuiltinModule("node:os").homedir();
    return dir === "" ? undefined : dir;
  } catch {
    return undefined;
  }
}

/**
 * Builds the Context of a real process: real streams, env, fetch and clock. Terminal facts and the home
 * directory are asked for only when a command reads them: start-up is a feature.
 */
export function createContext(): Context {
  return {
    io: {
      stdout: fdWriter(1),
      stderr: fdWriter(2),
      get stdinIsTerminal() {
        return isTerminal(0);
      },
      get stdoutIsTerminal() {
        return isTerminal(1);
      },
      get stderrIsTerminal() {
        return isTerminal(2);
      },
      readLine,
      readSecret,
      readStdin,
      openStdin,
    },
    env: process.env,
    fetch: globalThis.fetch.bind(globalThis),
    now: () => new Date(),
    sleep: delay,
    cwd: process.cwd(),
    get homeDir() {
      return homeDir();
    },
    platform: process.platform,
    readTextFile: (path, options) =>
      options?.limit === undefined ? readTextFile(path) : readTextFileUpTo(path, options.limit),
    readLines,
    fileMode,
    writePrivateFile,
  };
}

/** What `server start` gets from the real runtime: its HTTP listener and SIGINT/SIGTERM. */
export const serverHost: ServerHost = { serve, shutdownSignal };
