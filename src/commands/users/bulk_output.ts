import type { Context } from "../../context.ts";
import { createListWriter, type OutputFormat, useColor } from "../../output/mod.ts";
import { yamlItems } from "../../output/yaml.ts";

/** One row's result: the fields the issue names, `error` an object or null. */
export type BulkResult = Record<
  string,
  string | number | null | { code: string; message: string; remediation: string | null }
>;

/** Prints bulk results as they come, in the chosen format; json closes its array at `end`. */
export function bulkWriter(ctx: Context, format: OutputFormat, columns: readonly string[]) {
  const flat = createListWriter(ctx.io.stdout, {
    format,
    color: useColor(ctx.io.stdoutIsTerminal, ctx.env),
    columns,
  });
  let first = true;
  return {
    async row(result: BulkResult): Promise<void> {
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
