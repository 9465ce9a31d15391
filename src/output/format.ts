import { neutralise, UNSAFE_FOR_TERMINAL } from "./terminal_text.ts";

/** Output formats of `--output`. */
export const OUTPUT_FORMATS = ["table", "json", "ndjson", "yaml", "csv", "id"] as const;
/** One output format. */
export type OutputFormat = typeof OUTPUT_FORMATS[number];

/** A flat record to print: field name to value (null prints as empty or "-"). */
export type OutputRecord = Readonly<Record<string, string | null>>;

/**
 * Whether colour may be used. NO_COLOR (set, not empty) always wins (no-color.org); then FORCE_COLOR (any value
 * but "0" or "false", as Node and chalk read it) or CLICOLOR_FORCE (set, not "0"; bixense.com/clicolors)
 * turn it on even when piped; otherwise stdout must be a terminal, TERM not dumb and CLICOLOR not "0".
 */
export function useColor(isTerminal: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force.toLowerCase() === "false") return false;
    return true;
  }
  if (env.CLICOLOR_FORCE !== undefined && env.CLICOLOR_FORCE !== "" && env.CLICOLOR_FORCE !== "0") {
    return true;
  }
  if (!isTerminal) return false;
  if (env.CLICOLOR === "0") return false;
  return env.TERM !== "dumb";
}

/** Replaces control characters (escape sequences, line breaks) in server text shown on a terminal. */
export function printable(text: string): string {
  return neutralise(text, "?");
}

/** Folds a server-provided message onto one line, so every error stays one line on stderr. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t\v\f]+/g, " ").replace(UNSAFE_FOR_TERMINAL, "").trim();
}
