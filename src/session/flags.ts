/**
 * The global options, declared once (src/flags/spec.ts): the connection options every command that talks to
 * the service takes, and --output. The fast path (src/cli/commands/users/fast.ts) reads these declarations,
 * commander gets them from addGlobalOptions; their values are parsed by ./options.ts.
 */
import type { Command } from "@commander-js/extra-typings";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL } from "./config.ts";
import { addFlags } from "../flags/commander.ts";
import { flags, type FlagValues } from "../flags/spec.ts";
import { OUTPUT_FORMATS } from "../output/format.ts";

// Environment variables are read by the module that applies the flag, not by commander, which would read the
// process environment behind the Context's back: src/session/credentials.ts for the URL, the key and the profile
// (flag > env > .env > profile > default), src/api/debug_trace.ts for --debug (PHYWARE_DEBUG, 1 or true).

/** --verbose: each request and response on stderr. */
export const VERBOSE_FLAG = {
  long: "--verbose",
  help: "print each request and response status on stderr (API key redacted)",
} as const;

/** --debug: each request and response in full on stderr, secrets redacted (PHYWARE_DEBUG=1 too). */
export const DEBUG_FLAG = {
  long: "--debug",
  // Read as 1 or true by src/api/debug_trace.ts's debugWanted.
  env: "PHYWARE_DEBUG",
  help: "print each request and response on stderr: headers and bodies up to 4 KiB, secrets redacted",
} as const;

/** --url: the service's URL. */
export const URL_FLAG = {
  long: "--url",
  value: "url",
  env: "PHYCLOUD_URL",
  default: DEFAULT_URL,
  defaultBy: "parse",
  help: "PhyCloud service URL",
} as const;

/** --api-key: the key itself. */
export const API_KEY_FLAG = {
  long: "--api-key",
  value: "key",
  env: "PHYCLOUD_API_KEY",
  help: "API key with the admin:users scope",
} as const;

/** --api-key-file: the key read from a file. */
export const API_KEY_FILE_FLAG = {
  long: "--api-key-file",
  value: "path",
  env: "PHYCLOUD_API_KEY_FILE",
  help: 'read the API key from this file, "-" for standard input',
} as const;

/** --profile: the saved profile whose URL and key are used. */
export const PROFILE_FLAG = {
  long: "--profile",
  value: "name",
  env: "PHYCLOUD_PROFILE",
  // Not a fixed default: config.json's current profile comes before "default" (src/session/credentials.ts).
  defaultText: 'the current one, else "default"',
  help: "saved profile to use",
} as const;

/** --timeout: the time limit of each request. */
export const TIMEOUT_FLAG = {
  long: "--timeout",
  value: "duration",
  default: `${DEFAULT_TIMEOUT_MS / 1000}s`,
  defaultBy: "parse",
  help: "time limit of each request, such as 30s or 500ms",
} as const;

/** --url, --api-key, --api-key-file, --profile, --timeout, --verbose and --debug: all `phyware mcp` takes. */
export const CONNECTION_FLAGS = flags(
  URL_FLAG,
  API_KEY_FLAG,
  API_KEY_FILE_FLAG,
  PROFILE_FLAG,
  TIMEOUT_FLAG,
  VERBOSE_FLAG,
  DEBUG_FLAG,
);

/** -o, --output: the output format. */
export const OUTPUT_FLAG = {
  long: "--output",
  short: "-o",
  value: "format",
  choices: OUTPUT_FORMATS,
  default: "table",
  defaultBy: "parse",
  help: "output format",
} as const;

/** The options of every command group that talks to the service: the connection options and --output. */
export const GLOBAL_FLAGS = flags(...CONNECTION_FLAGS, OUTPUT_FLAG);

/** The global options as commander types them. */
export type GlobalFlagValues = FlagValues<typeof GLOBAL_FLAGS>;

/** The connection options as commander types them: all `phyware mcp` takes (no --output). */
export type ConnectionFlagValues = FlagValues<typeof CONNECTION_FLAGS>;

/** Adds --url, --api-key, --api-key-file, --profile, --timeout, --verbose and --debug to a command. */
export function addConnectionOptions(cmd: Command): Command<[], ConnectionFlagValues> {
  return addFlags(cmd, CONNECTION_FLAGS);
}

/** Adds the connection options and --output to a command (the groups of verbs). */
export function addGlobalOptions(cmd: Command): Command<[], GlobalFlagValues> {
  return addFlags(cmd, GLOBAL_FLAGS);
}
