import { type Command, Option, type OptionValues } from "@commander-js/extra-typings";
import { OUTPUT_FORMATS, type OutputFormat } from "../output/mod.ts";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL, parseDuration } from "../config.ts";

/** Options every `users` verb takes, as parsed from the command line. */
export interface GlobalOptions {
  /** --url, when given; config falls back to env, .env and the default. */
  url: string | undefined;
  /** --api-key, when given. */
  apiKey: string | undefined;
  output: OutputFormat;
  timeoutMs: number;
  verbose: boolean;
}

/** Raw values commander collects for the global options. */
export interface RawGlobalOptions {
  url?: string;
  apiKey?: string;
  output?: string;
  timeout?: string;
  verbose?: true;
}

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

/** Turns raw global option values into typed settings. */
export function parseGlobalOptions(raw: RawGlobalOptions): GlobalOptions {
  return {
    url: raw.url,
    apiKey: raw.apiKey,
    output: (raw.output ?? "table") as OutputFormat,
    timeoutMs: raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(raw.timeout, "--timeout"),
    verbose: raw.verbose === true,
  };
}
