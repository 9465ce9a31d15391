/**
 * The files every archive and package carries beside the binary: man pages and shell completions, generated
 * from the same command tree the binary runs, so they cannot drift from `--help`.
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { buildProgram } from "../../src/cli/program.ts";
import { createContext, serverHost } from "../../src/runtime/mod.ts";
import { completionScript, type Shell, SHELLS } from "../../src/cli/commands/completions/script.ts";
import type { ArchiveEntry } from "./archive_entry.ts";
import { manPages } from "./man_page.ts";

/** Completion file names inside `completions/`, as each shell's packagers name them. */
export const COMPLETION_FILES: Readonly<Record<Shell, string>> = {
  bash: "phyware.bash",
  zsh: "_phyware",
  fish: "phyware.fish",
  powershell: "phyware.ps1",
};

/** The command tree as the binary builds it; building it does no I/O. */
export function releaseProgram(): CommandUnknownOpts {
  return buildProgram(createContext(), [], serverHost);
}

/** `man/man1/*.1` and `completions/*` entries, in that order; the same inputs give the same bytes. */
export function docEntries(version: string, epochSeconds: number): ArchiveEntry[] {
  const encoder = new TextEncoder();
  const man = manPages(releaseProgram(), version, epochSeconds).map((page): ArchiveEntry => ({
    name: `man/man1/${page.name}`,
    mode: 0o644,
    data: encoder.encode(page.text),
  }));
  const completions = SHELLS.map((shell): ArchiveEntry => ({
    name: `completions/${COMPLETION_FILES[shell]}`,
    mode: 0o644,
    data: encoder.encode(completionScript(shell, releaseProgram())),
  }));
  return [...man, ...completions];
}
