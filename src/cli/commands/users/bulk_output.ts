import type { Context } from "../../../context.ts";
import { type PhywareError, quoted, ValidationError } from "../../../errors.ts";
import { createListWriter, type OutputFormat, useColor } from "../../../output/mod.ts";
import { yamlItems } from "../../../output/yaml.ts";

/** A row's error as results show it. */
export interface RowError {
  code: string;
  message: string;
  remediation: string | null;
}

/** One row's result: the fields the issue names, `error` an object or null. */
export type BulkResult = Record<string, string | number | null | RowError>;

/** A failed row's error. */
export function rowError(error: PhywareError): RowError {
  return { code: error.code, message: error.message, remediation: error.remediation ?? null };
}

/**
 * The error of a `duplicate` row, one that repeats line `earlier` ("mailbox", "user id") and is not sent
 * (that line `does` it: "invites", "deactivates"); a duplicate is not a failure.
 */
export function duplicateError(earlier: number, same: string, does: string): RowError {
  return {
    code: "DUPLICATE",
    message: `Same ${same} as line ${earlier}`,
    remediation: `Line ${earlier} ${does} it; this row was not sent`,
  };
}

/**
 * Parses `--fields` for bulk results: names among `allowed` (a bulk command's result fields), order kept,
 * duplicates dropped; all of them when not given. With `-o id` there is nothing to choose.
 */
export function parseBulkFields(
  raw: string | undefined,
  allowed: readonly string[],
  format: OutputFormat,
): readonly string[] {
  if (raw === undefined) return allowed;
  if (format === "id") throw new ValidationError("Use --fields or -o id, not both: -o id prints ids only");
  const fields: string[] = [];
  for (const name of raw.split(",").map((n) => n.trim())) {
    if (!allowed.includes(name)) {
      throw new ValidationError(
        `Invalid --fields ${quoted(raw)}: ${
          name === "" ? "an empty field name" : `unknown field ${quoted(name)}`
        }`,
        { remediation: `Fields of bulk results: ${allowed.join(", ")}` },
      );
    }
    if (!fields.includes(name)) fields.push(name);
  }
  return fields;
}

/**
 * Prints bulk results as they come, in the chosen format and with the chosen fields; json closes its array at
 * `end`; `-o id` prints the id of each row that names a user (not a failed or duplicate row), one a line.
 */
export function bulkWriter(ctx: Context, format: OutputFormat, columns: readonly string[]) {
  const flat = createListWriter(ctx.io.stdout, {
    format,
    color: useColor(ctx.io.stdoutIsTerminal, ctx.env),
    terminal: ctx.io.stdoutIsTerminal,
    columns,
  });
  let first = true;
  return {
    async row(full: BulkResult): Promise<void> {
      if (format === "id") {
        // A deactivate row carries its id even when it failed or repeats a line: only users are printed.
        const named = typeof full.id === "string" && full.result !== "failed" && full.result !== "duplicate";
        return named ? await ctx.io.stdout.write(`${full.id}\n`) : undefined;
      }
      const result: BulkResult = {};
      for (const column of columns) result[column] = full[column] ?? null;
      if (format === "ndjson") return await ctx.io.stdout.write(JSON.stringify(result) + "\n");
      if (format === "json") {
        const text = "  " + JSON.stringify(result, null, 2).replaceAll("\n", "\n  ");
        await ctx.io.stdout.write((first ? "[\n" : ",\n") + text);
        first = false;
        return;
      }
      if (format === "yaml") return await ctx.io.stdout.write(await yamlItems([result]));
      const record: Record<string, string | null> = {};
      for (const column of columns) {
        const value = result[column];
        record[column] = value === null || value === undefined
          ? null
          : typeof value === "object"
          ? `${value.code}: ${value.message}`
          : String(value);
      }
      await flat.page([record]);
    },
    async end(): Promise<void> {
      if (format === "json") return await ctx.io.stdout.write(first ? "[]\n" : "\n]\n");
      if (format === "ndjson") return;
      if (format === "yaml") return first ? await ctx.io.stdout.write("[]\n") : undefined;
      await flat.end();
    },
  };
}

/** Runs `work` on each item with at most `limit` in flight, yielding results in input order. */
export async function* inOrder<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const queue: Promise<R>[] = [];
  for await (const item of items) {
    const result = work(item);
    // A row may fail while an earlier one is pending, or after the reader stopped: its error surfaces when its
    // turn is awaited (or not at all), never as an unhandled rejection that would end the process.
    result.catch(() => {});
    queue.push(result);
    if (queue.length >= limit) {
      const next = queue.shift();
      if (next) yield await next;
    }
  }
  for (const next of queue) yield await next;
}
