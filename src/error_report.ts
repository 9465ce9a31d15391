import type { Context } from "./context.ts";
import { BrokenPipeError, PhywareError, quoted, ValidationError } from "./errors.ts";
import { fileError } from "./file_error.ts";
import { oneLine } from "./output/format.ts";

/** A commander error (code "commander.*"), told apart by its shape so that reporting does not load commander. */
function isCommanderError(error: unknown): error is Error & { code: string; exitCode: number } {
  return error instanceof Error && "code" in error && typeof error.code === "string" &&
    error.code.startsWith("commander.") && "exitCode" in error && typeof error.exitCode === "number";
}

/**
 * Commander's codes for output that is not an error: help asked for, the version, and the help of a group
 * run without a verb ("commander.help", which commander ends with exit code 1 and phyware with 0).
 */
const COMMANDER_SUCCESS = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Restates commander's usage errors in phyware's style: sentence case, values in double quotes, no period. */
export function commanderMessage(raw: string): string {
  const text = oneLine(raw.replace(/^error:\s*/, ""));
  const option =
    /^option '(?:-\w, )?(--[\w-]+)[^']*' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/
      .exec(text);
  if (option) return `Invalid ${option[1]} ${quoted(option[2] ?? "")}: expected one of ${option[3]}`;
  const argument =
    /^command-argument value '(.*)' is invalid for argument '(.*)'\. Allowed choices are (.*)\.$/
      .exec(text);
  if (argument) return `Invalid ${argument[2]} ${quoted(argument[1] ?? "")}: expected one of ${argument[3]}`;
  return sentenceCase(
    text
      .replace(/'([^']*)'/g, '"$1"')
      .replace(/\. Expected /, ": expected ")
      .replace(/\.$/, ""),
  );
}

/** Turns anything thrown into a PhywareError, or undefined when there is nothing to report. */
export function toPhywareError(error: unknown): PhywareError | undefined {
  if (error instanceof BrokenPipeError) return undefined;
  if (error instanceof PhywareError) return error;
  if (isCommanderError(error)) {
    if (COMMANDER_SUCCESS.has(error.code) || error.exitCode === 0) return undefined;
    return new ValidationError(commanderMessage(error.message), { code: "USAGE_ERROR" });
  }
  const { path, syscall } = error as { path?: unknown; syscall?: unknown };
  const target = typeof path === "string" ? quoted(path) : "a file";
  const failed = fileError(error, `${typeof syscall === "string" ? syscall : "use"} ${target}`);
  if (failed) return failed;
  const message = error instanceof Error ? error.message : String(error);
  return new PhywareError(`Unexpected error: ${oneLine(message)}`, { code: "INTERNAL_ERROR" });
}

/** The exit code for anything thrown, per the spec's EXIT CODES table; the CLI's one error -> code map. */
export function exitCodeFor(error: unknown): number {
  // Nothing to report (help, version, a reader that closed the pipe) is success.
  return toPhywareError(error)?.exitCode ?? 0;
}

/** The one stderr line for an error: message, remediation, request id. */
export function errorLine(error: PhywareError): string {
  let line = `error: ${error.message}`;
  if (error.remediation) line += ` - ${error.remediation}`;
  if (error.requestId) line += ` (request id: ${error.requestId})`;
  return line + "\n";
}

/** The error as one JSON object, for agents (`--output json`). */
export function errorJson(error: PhywareError): string {
  return JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      remediation: error.remediation ?? null,
      status: error.status ?? null,
      request_id: error.requestId ?? null,
    },
  }) + "\n";
}

/** Reports an error on stderr (and as JSON when asked) and returns the exit code. */
export async function reportError(error: unknown, ctx: Context, json: boolean): Promise<number> {
  const code = exitCodeFor(error);
  const reported = toPhywareError(error);
  if (reported) {
    try {
      await ctx.io.stderr.write(errorLine(reported));
      if (json) await ctx.io.stderr.write(errorJson(reported));
    } catch {
      // stderr is gone too; the exit code still tells.
    }
  }
  return code;
}
