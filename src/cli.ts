import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context, ServerHost } from "./context.ts";
import { reportError } from "./error_report.ts";
import { completionsCommand } from "./commands/completions/mod.ts";
import { serverCommand } from "./commands/server/mod.ts";
import { usersCommand } from "./commands/users/mod.ts";
import { VERSION } from "./version.ts";

/** Builds the whole command tree; commands write through `ctx` only. */
export function buildProgram(ctx: Context, pending: Promise<void>[], host: ServerHost): CommandUnknownOpts {
  const program = new Command("phyware")
    .description("Command-line tool for the PhyCloud service")
    .version(VERSION, "-V, --version", "print the version")
    .addCommand(usersCommand(ctx))
    .addCommand(serverCommand(ctx, host))
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

/** Whether the output format in effect is JSON (the last --output given wins), so errors are also JSON. */
export function wantsJsonErrors(argv: readonly string[]): boolean {
  let format: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") break;
    if (arg === "-o" || arg === "--output") format = argv[++i];
    else if (arg.startsWith("--output=")) format = arg.slice("--output=".length);
    else if (/^-o[^-]/.test(arg)) format = arg.slice(2);
  }
  return format === "json" || format === "ndjson";
}

/** Runs phyware with the given arguments and returns the process exit code; only `server start` uses `host`. */
export async function run(argv: string[], ctx: Context, host: ServerHost): Promise<number> {
  const pending: Promise<void>[] = [];
  const program = buildProgram(ctx, pending, host);
  try {
    await program.parseAsync(argv, { from: "user" });
    await Promise.all(pending);
    return 0;
  } catch (error) {
    await Promise.allSettled(pending);
    return await reportError(error, ctx, wantsJsonErrors(argv));
  }
}
