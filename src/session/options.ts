/**
 * The global options' values and their parsing, free of commander so that the fast path (src/cli/fast_path.ts)
 * can use them; ./flags.ts declares them.
 */
import type { OutputFormat } from "../output/format.ts";
import { DEFAULT_TIMEOUT_MS, parseDuration } from "./config.ts";
import { type GlobalFlagValues, OUTPUT_FLAG } from "./flags.ts";

/** Options every `users` verb takes, as parsed from the command line. */
export interface GlobalOptions {
  /** --url, when given; config falls back to env, .env and the default. */
  url: string | undefined;
  /** --api-key, when given. */
  apiKey: string | undefined;
  /** --api-key-file, when given ("-" for standard input). */
  apiKeyFile: string | undefined;
  /** --profile, when given. */
  profile: string | undefined;
  output: OutputFormat;
  timeoutMs: number;
  verbose: boolean;
  /** --debug: every request and response on stderr, secrets redacted. */
  debug: boolean;
}

/** Raw values commander (or the fast path) collects for the global options, typed by their declarations. */
export type RawGlobalOptions = GlobalFlagValues;

/** Turns raw global option values into typed settings. */
export function parseGlobalOptions(raw: RawGlobalOptions): GlobalOptions {
  return {
    url: raw.url,
    apiKey: raw.apiKey,
    apiKeyFile: raw.apiKeyFile,
    profile: raw.profile,
    output: raw.output ?? OUTPUT_FLAG.default,
    timeoutMs: raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(raw.timeout, "--timeout"),
    verbose: raw.verbose === true,
    debug: raw.debug === true,
  };
}
