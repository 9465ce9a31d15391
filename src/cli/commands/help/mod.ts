import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { quoted, ValidationError } from "../../../errors.ts";

/** Help topics beyond the commands, by name. */
export const HELP_TOPICS = {
  environment: "the environment variables and files phyware reads, and their precedence",
  "exit-codes": "the exit codes, the errors that lead to each, and the spec's error table",
  errors: "every code a JSON error or an MCP tool error can carry, with its exit code",
} as const;

/** The topics as help lists them. */
function topicLines(): string {
  return Object.entries(HELP_TOPICS).map(([name, what]) => `  ${name.padEnd(11)} ${what}\n`).join("");
}

/**
 * `phyware help [COMMAND...|TOPIC]`: a command's help, as `COMMAND --help` prints it, or a topic. Replaces
 * commander's own help command, which knows no topics.
 */
export function helpCommand(ctx: Context, root: () => CommandUnknownOpts): CommandUnknownOpts {
  const topics = topicLines();
  return new Command("help")
    .description("Show help for a command or a topic")
    // Listed as commander's own help command is ("help [command]"); the words after the first come as
    // excess arguments, so `help users invite` works too.
    .argument("[command]", "a command (such as users invite), or a topic")
    .allowExcessArguments(true)
    .addHelpText(
      "after",
      `\nTopics:\n${topics}\nExamples:\n  # Where phyware looks for the URL and key\n  phyware help environment\n  # What each exit code means\n  phyware help exit-codes\n`,
    )
    .action(async (_first, _options, self) => {
      const words = self.args;
      const [first] = words;
      if (first === "environment" && words.length === 1) {
        return await ctx.io.stdout.write((await import("../shared/environment.ts")).environmentHelp(root()));
      }
      if (first === "exit-codes" && words.length === 1) {
        return await ctx.io.stdout.write((await import("../shared/exit_codes.ts")).exitCodesHelp());
      }
      if (first === "errors" && words.length === 1) {
        return await ctx.io.stdout.write((await import("./error_codes.ts")).errorCodesHelp());
      }
      if (first === undefined) {
        // `phyware help`: the program's help, then what else help can show.
        root().outputHelp();
        return await ctx.io.stdout.write(`Help topics (phyware help TOPIC):\n${topics}`);
      }
      let cmd: CommandUnknownOpts = root();
      for (const word of words) {
        const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!sub) {
          throw new ValidationError(`Unknown command or help topic ${quoted(words.join(" "))}`, {
            code: "USAGE_ERROR",
            remediation: `Run phyware help; topics: ${Object.keys(HELP_TOPICS).join(", ")}`,
          });
        }
        cmd = sub;
      }
      cmd.outputHelp();
    });
}
