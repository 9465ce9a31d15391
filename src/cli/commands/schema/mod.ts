import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { examplesHelp } from "../shared/examples_help.ts";

/** `phyware schema`: every command, option, example and exit code as one JSON document, for programs. */
export function schemaCommand(ctx: Context, root: () => CommandUnknownOpts): CommandUnknownOpts {
  return new Command("schema")
    .description("Print a JSON description of every command, option, example, output field and exit code")
    .addHelpText(
      "after",
      examplesHelp([["List every command path", "phyware schema | jq -r '.commands[].path'"]]),
    )
    .action(async () => {
      const [{ buildSchema }, { VERSION }] = await Promise.all([
        import("./build.ts"),
        import("../../../version.ts"),
      ]);
      await ctx.io.stdout.write(JSON.stringify(buildSchema(root(), VERSION), null, 2) + "\n");
    });
}
