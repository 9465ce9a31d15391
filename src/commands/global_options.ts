/**
 * The global options' values and their parsing, free of commander so that the fast path (src/fast_path.ts)
 * can use them; ./global_flags.ts declares them for commander.
 */
import type { OutputFormat } from "../output/format.ts";
import { DEFAULT_TIMEOUT_MS, parseDuration } from "../config.ts";

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

/** Raw values commander collects for the global options. */
export interface RawGlobalOptions {
  url?: string;
  apiKey?: string;
  apiKeyFile?: string;
  profile?: string;
  output?: string;
  timeout?: string;
  verbose?: true;
  debug?: true;
}

/** Turns raw global option values into typed settings. */
export function parseGlobalOptions(raw: RawGlobalOptions): GlobalOptions {
  return {
    url: raw.url,
    apiKey: raw.apiKey,
    apiKeyFile: raw.apiKeyFile,
    profile: raw.profile,
    output: (raw.output ?? "table") as OutputFormat,
    timeoutMs: raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(raw.timeout, "--timeout"),
    verbose: raw.verbose === true,
    debug: raw.debug === true,
  };
}
