/** Output formats of `--output`. */
export const OUTPUT_FORMATS = ["table", "json", "ndjson", "yaml", "csv", "id"] as const;
/** One output format. */
export type OutputFormat = typeof OUTPUT_FORMATS[number];

/** A flat record to print: field name to value (null prints as empty or "-"). */
export type OutputRecord = Readonly<Record<string, string | null>>;

/** Whether colour may be used: stdout is a terminal, NO_COLOR is unset or empty, TERM is not dumb. */
export function useColor(isTerminal: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (!isTerminal) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return env.TERM !== "dumb";
}

/** Replaces control characters (escape sequences, line breaks) in server text shown on a terminal. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, "?");
}

/** Folds a server-provided message onto one line, so every error stays one line on stderr. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t\v\f]+/g, " ").replace(/\p{Cc}/gu, "").trim();
}
