import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context, ServerHost } from "../context.ts";
import { apiCommand } from "./commands/api/mod.ts";
import { authCommand, statusCommand } from "./commands/auth/mod.ts";
import { completionsCommand } from "./commands/completions/mod.ts";
import { helpCommand } from "./commands/help/mod.ts";
import { schemaCommand } from "./commands/schema/mod.ts";
import { versionCommand } from "./commands/version/mod.ts";
import { mcpCommand } from "./commands/mcp/mod.ts";
import { serverCommand } from "./commands/server/mod.ts";
import { usersCommand } from "./commands/users/mod.ts";
import { apiKeysCommand } from "./commands/api_keys/mod.ts";
import { eventsCommand } from "./commands/events/mod.ts";
import { VERSION } from "../version.ts";
import { VERSION_FLAG } from "../flags/version_flag.ts";

/**
 * Builds the whole command tree with commander; commands write through `ctx` only. `run` loads it for every
 * command line the fast path (src/cli/fast_path.ts) does not take: help, errors, suggestions, completions, and
 * the verbs that have no fast entry.
 */
export function buildProgram(ctx: Context, pending: Promise<void>[], host: ServerHost): CommandUnknownOpts {
  const program = new Command("phyware")
    .description("Command-line tool for the PhyCloud service")
    .version(VERSION, `${VERSION_FLAG.short}, ${VERSION_FLAG.long}`, VERSION_FLAG.help)
    .addCommand(usersCommand(ctx))
    .addCommand(apiKeysCommand(ctx))
    .addCommand(eventsCommand(ctx))
    .addCommand(authCommand(ctx))
    .addCommand(statusCommand(ctx, "whoami"))
    .addCommand(serverCommand(ctx, host))
    .addCommand(mcpCommand(ctx))
    .addCommand(apiCommand(ctx))
    .addHelpText("after", "\nRun 'phyware <command> --help' for the options and examples of each command.\n");
  program.addCommand(completionsCommand(ctx, () => program));
  program.addCommand(schemaCommand(ctx, () => program)).addCommand(versionCommand(ctx)).helpCommand(false)
    .addCommand(helpCommand(ctx, () => program));
  configureTree(program, ctx, pending);
  return program;
}

function configureTree(cmd: CommandUnknownOpts, ctx: Context, pending: Promise<void>[]): void {
  cmd
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => void pending.push(ctx.io.stdout.write(text)),
      // Errors are not written here (outputError below is silent): commander writes to writeErr only the
      // help of a group run without a verb (`phyware`, `phyware users`), which, as gh does, goes to stdout
      // and succeeds (error_report.ts). A group has no action of its own, so an unknown verb or a typo in a
      // group's name meets commander's own unknown-command error and suggestion before any option check.
      writeErr: (text) => void pending.push(ctx.io.stdout.write(text)),
      // Errors are reported once, by reportError, as one line.
      outputError: () => {},
    });
  for (const sub of cmd.commands) configureTree(sub, ctx, pending);
}
