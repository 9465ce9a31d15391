import { Command, CommanderError } from "@commander-js/extra-typings";
import type { Context } from "./context.ts";
import { serverCommand } from "./commands/server/mod.ts";
import { VERSION } from "./version.ts";

/** Runs phyware with the given arguments and returns the process exit code. */
export async function run(argv: string[], ctx: Context): Promise<number> {
  const program = new Command("phyware").version(VERSION).exitOverride();
  program.addCommand(serverCommand(ctx));
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 4;
    await ctx.io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
