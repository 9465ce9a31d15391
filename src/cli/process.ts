/**
 * The CLI as this process: `run` with the real Context and server host. main.ts imports it lazily, after
 * answering `--version` itself, so one dynamic import brings in the whole CLI (two cost `users get` more).
 */
import { run } from "./mod.ts";
import { createContext, serverHost } from "../runtime/mod.ts";

/** Runs phyware with these arguments in this process and returns the exit code. */
export function runProcess(args: string[]): Promise<number> {
  return run(args, createContext(), serverHost);
}
