import { type Command, Option, type OptionValues } from "@commander-js/extra-typings";
import { OUTPUT_FORMATS } from "../output/format.ts";
import { DEFAULT_URL } from "../config.ts";

/** Adds --url, --api-key, --output, --timeout and --verbose to a command (the `users` group). */
// deno-lint-ignore explicit-module-boundary-types
export function addGlobalOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  // Environment variables are applied by config.ts (flag > env > .env > default), not by commander,
  // which would read the process environment behind the Context's back.
  return cmd
    .option("--url <url>", `PhyCloud service URL [env: PHYCLOUD_URL] (default: "${DEFAULT_URL}")`)
    .option("--api-key <key>", "API key with the admin:users scope [env: PHYCLOUD_API_KEY]")
    .addOption(
      new Option("-o, --output <format>", 'output format (default: "table")').choices(OUTPUT_FORMATS),
    )
    .option("--timeout <duration>", 'time limit of each request, such as 30s or 500ms (default: "30s")')
    .option("--verbose", "print each request and response status on stderr (API key redacted)");
}
