import { type Command, Option } from "@commander-js/extra-typings";
import { OUTPUT_FORMATS, type OutputFormat } from "../output/format.ts";
import { DEFAULT_URL } from "../config.ts";

/** The global options as commander types them (RawGlobalOptions, with --output narrowed to its choices). */
export type GlobalFlagValues = {
  url?: string;
  apiKey?: string;
  apiKeyFile?: string;
  profile?: string;
  output?: OutputFormat;
  timeout?: string;
  verbose?: true;
  debug?: true;
};

/** The connection options as commander types them: all `phyware mcp` takes (no --output). */
export type ConnectionFlagValues = Omit<GlobalFlagValues, "output">;

/** Adds --url, --api-key, --api-key-file, --profile, --timeout, --verbose and --debug to a command. */
export function addConnectionOptions(cmd: Command): Command<[], ConnectionFlagValues> {
  // Not generic, and the return type spelled out: inferring a generic command's type through seven chained
  // options makes a type check of the command tree take minutes.
  // Environment variables are applied by src/credentials.ts (flag > env > .env > profile > default), not by
  // commander, which would read the process environment behind the Context's back.
  return cmd
    .option("--url <url>", `PhyCloud service URL [env: PHYCLOUD_URL] (default: "${DEFAULT_URL}")`)
    .option("--api-key <key>", "API key with the admin:users scope [env: PHYCLOUD_API_KEY]")
    .option(
      "--api-key-file <path>",
      'read the API key from this file, "-" for standard input [env: PHYCLOUD_API_KEY_FILE]',
    )
    .option("--profile <name>", 'saved profile to use (default: "default") [env: PHYCLOUD_PROFILE]')
    .option("--timeout <duration>", 'time limit of each request, such as 30s or 500ms (default: "30s")')
    .option("--verbose", "print each request and response status on stderr (API key redacted)")
    .option(
      "--debug",
      "print each request and response on stderr: headers and bodies up to 4 KiB, secrets redacted " +
        "[env: PHYWARE_DEBUG=1]",
    );
}

/** Adds the connection options and --output to a command (the groups of verbs). */
export function addGlobalOptions(cmd: Command): Command<[], GlobalFlagValues> {
  return addConnectionOptions(cmd).addOption(
    new Option("-o, --output <format>", 'output format (default: "table")').choices(OUTPUT_FORMATS),
  );
}
