/** What the verbs' parse tests expect of the options every command shares, stated once. */
import { ValidationError } from "../../src/errors.ts";

/** What parseGlobalOptions gives for no flags at all (src/session/options.ts). */
export const DEFAULT_GLOBALS = {
  url: undefined,
  apiKey: undefined,
  apiKeyFile: undefined,
  profile: undefined,
  output: "table",
  timeoutMs: 30_000,
  verbose: false,
  debug: false,
} as const;

/** The error of `--timeout soon`. */
export const BAD_TIMEOUT = new ValidationError(
  'Invalid --timeout "soon": expected a duration such as 30s, 500ms or 2m',
);

/** The error of `--fields` with `--output id`. */
export const FIELDS_WITH_ID = new ValidationError("Use --fields or --output id, not both", {
  remediation: "--output id prints the ids only: drop --fields, or choose another --output",
});

/** The error of a `--fields` naming `name`, which is not one of `all`. */
export const unknownField = (raw: string, name: string, all: readonly string[]): ValidationError =>
  new ValidationError(`Invalid --fields "${raw}": unknown field "${name}"`, {
    remediation: `Valid fields: ${all.join(", ")}`,
  });
