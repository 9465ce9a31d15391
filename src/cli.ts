import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "./context.ts";
import { reportError } from "./error_report.ts";
import { completionsCommand } from "./commands/completions/mod.ts";
import { serverCommand } from "./commands/server/mod.ts";
import { usersCommand } from "./commands/users/mod.ts";
import { VERSION } from "./version.ts";

/** Builds the whole command tree; commands write through `ctx` only. */
export function buildProgram(ctx: Context, pending: Promise<void>[]): CommandUnknownOpts {
  const program = new Command("phyware")
    .description("Command-line tool for the PhyCloud service")
    .version(VERSION, "-V, --version", "print the version")
    .addCommand(usersCommand(ctx))
    .addCommand(serverCommand(ctx) as unknown as CommandUnknownOpts)
    .addHelpText("after", "\nRun 'phyware <command> --help' for the options and examples of each command.\n");
  program.addCommand(completionsCommand(ctx, () => program));
  configureTree(program, ctx, pending);
  return program;
}

function configureTree(cmd: CommandUnknownOpts, ctx: Context, pending: Promise<void>[]): void {
  cmd
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => void pending.push(ctx.io.stdout.write(text)),
      writeErr: (text) => void pending.push(ctx.io.stderr.write(text)),
      // Errors are reported once, by reportError, as one line.
      outputError: () => {},
    });
  for (const sub of cmd.commands) configureTree(sub, ctx, pending);
}

/** Whether the user asked for JSON output, so errors are also given as JSON. */
export function wantsJsonErrors(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const next = argv[i + 1];
    if ((arg === "-o" || arg === "--output") && (next === "json" || next === "ndjson")) return true;
    if (/^(--output=|-o)(nd)?json$/.test(arg)) return true;
  }
  return false;
}

/** Runs phyware with the given arguments and returns the process exit code. */
export async function run(argv: string[], ctx: Context): Promise<number> {
  const pending: Promise<void>[] = [];
  const program = buildProgram(ctx, pending);
  try {
    await program.parseAsync(argv, { from: "user" });
    await Promise.all(pending);
    return 0;
  } catch (error) {
    await Promise.allSettled(pending);
    return await reportError(error, ctx, wantsJsonErrors(argv));
  }
}
