import type { Context } from "../../../context.ts";
import { documentText, isDocumentFormat, type OutputFormat } from "../../../output/mod.ts";

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
  if (isDocumentFormat(format)) return await ctx.io.stdout.write(await documentText(doc, format));
  let text = `Dry run: nothing was sent\n${request.method} ${request.url}\n`;
  for (const [k, v] of Object.entries(request.headers)) text += `${k}: ${v}\n`;
  if (request.body !== undefined) text += `${JSON.stringify(request.body)}\n`;
  if (current) {
    text += "\nCurrent state:\n";
    for (const [k, v] of Object.entries(current)) text += `  ${k}: ${v ?? "-"}\n`;
  }
  await ctx.io.stdout.write(text);
}
