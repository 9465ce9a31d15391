/**
 * The completion scripts: one generator a shell, each fed the command tree. The `completions` command
 * (mod.ts) prints one; the release kit (scripts/release/docs.ts) ships them all.
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { bashScript } from "./bash.ts";
import { type CommandSpec, commandTree } from "./command_tree.ts";
import { fishScript } from "./fish.ts";
import { powershellScript } from "./powershell.ts";
import { zshScript } from "./zsh.ts";

/** The shells `phyware completions` writes scripts for. */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;

/** One of SHELLS. */
export type Shell = typeof SHELLS[number];

const GENERATORS: Record<Shell, (root: CommandSpec) => string> = {
  bash: bashScript,
  zsh: zshScript,
  fish: fishScript,
  powershell: powershellScript,
};

/** The completion script of `shell` for the command tree under `root`. */
export function completionScript(shell: Shell, root: CommandUnknownOpts): string {
  return GENERATORS[shell](commandTree(root));
}
