import { Argument, Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { completionScript, SHELLS } from "./script.ts";

const INSTALL_HELP = `
Install:
  bash        phyware completions bash > /etc/bash_completion.d/phyware
              (or add to ~/.bashrc: source <(phyware completions bash))
  zsh         add to ~/.zshrc, after compinit: source <(phyware completions zsh)
              (or: phyware completions zsh > "\${fpath[1]}/_phyware", then start a new shell)
  fish        phyware completions fish > ~/.config/fish/completions/phyware.fish
  powershell  add to $PROFILE: phyware completions powershell | Out-String | Invoke-Expression

Examples:
  $ phyware completions bash > /etc/bash_completion.d/phyware
  $ source <(phyware completions zsh)
`;

/** The `phyware completions <shell>` command; `root` gives the tree to complete once it is fully built. */
export function completionsCommand(ctx: Context, root: () => CommandUnknownOpts): CommandUnknownOpts {
  return new Command("completions")
    .description("Print a shell completion script for bash, zsh, fish or PowerShell")
    .addArgument(new Argument("<shell>", "shell to complete for").choices(SHELLS))
    .addHelpText("after", INSTALL_HELP)
    .action(async (shell) => await ctx.io.stdout.write(completionScript(shell, root())));
}
