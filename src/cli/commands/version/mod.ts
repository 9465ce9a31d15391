import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { addFlags } from "../../../flags/commander.ts";
import { examplesHelp } from "../shared/examples_help.ts";
import { VERSION_FLAGS } from "./flags.ts";

/** Examples of `phyware version`. */
export const VERSION_EXAMPLES = [
  ["Show the version, commit, build date, engine and platform", "phyware version"],
  ["The same as one JSON object", "phyware version -o json"],
] as const;

/** `phyware version`: the version and where it runs; `--version` stays the bare version. */
export function versionCommand(ctx: Context): CommandUnknownOpts {
  return addFlags(new Command("version"), VERSION_FLAGS)
    .description("Show the version, commit, build date, engine and its version, OS and architecture")
    .addHelpText("after", examplesHelp(VERSION_EXAMPLES))
    .action(async (options) => {
      const { versionInfo } = await import("./info.ts");
      const info = versionInfo();
      if (options.output === "json") return await ctx.io.stdout.write(JSON.stringify(info, null, 2) + "\n");
      await ctx.io.stdout.write(
        `phyware ${info.version} (commit ${info.commit ?? "unknown"}, built ${info.date ?? "unknown"})\n` +
          `${info.engine} ${info.engine_version} on ${info.os}/${info.arch}\n`,
      );
    });
}
