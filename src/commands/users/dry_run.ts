import type { Context } from "../../context.ts";
import type { OutputFormat } from "../../output/mod.ts";
import { yamlRecord } from "../../output/yaml.ts";

/** A request that --dry-run describes instead of sending. */
export interface PlannedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** Prints the request --dry-run would have sent (and any current state) without sending it. */
export async function writeDryRun(
  ctx: Context,
  format: OutputFormat,
  request: PlannedRequest,
  current?: Record<string, unknown>,
): Promise<void> {
  const doc = { dry_run: true, request, ...(current ? { current } : {}) };
  if (format === "json") return await ctx.io.stdout.write(JSON.stringify(doc, null, 2) + "\n");
  if (format === "ndjson") return await ctx.io.stdout.write(JSON.stringify(doc) + "\n");
  if (format === "yaml") return await ctx.io.stdout.write(await yamlRecord(doc));
  let text = `Dry run: nothing was sent\n${request.method} ${request.url}\n`;
  for (const [k, v] of Object.entries(request.headers)) text += `${k}: ${v}\n`;
  if (request.body !== undefined) text += `${JSON.stringify(request.body)}\n`;
  if (current) {
    text += "\nCurrent state:\n";
    for (const [k, v] of Object.entries(current)) text += `  ${k}: ${v ?? "-"}\n`;
  }
  await ctx.io.stdout.write(text);
}
