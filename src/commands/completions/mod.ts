import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../context.ts";

/** The `phyware completions` command (placeholder). */
export function completionsCommand(_ctx: Context, _root: () => CommandUnknownOpts): CommandUnknownOpts {
  return new Command("completions").description("Print a shell completion script");
}
