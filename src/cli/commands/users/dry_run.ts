import type { Context } from "../../../context.ts";
import { documentText, isDocumentFormat, type OutputFormat } from "../../../output/mod.ts";
import { escapeUnsafe, terminalDocument } from "../../../output/terminal_text.ts";

/** A request that --dry-run describes instead of sending. */
export interface PlannedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Prints the request --dry-run would have sent (and any current state) without sending it. On a terminal the
 * text and YAML are neutralised (the current state is the server's text); JSON escapes what could steer it.
 */
export async function writeDryRun(
  ctx: Context,
  format: OutputFormat,
  request: PlannedRequest,
  current?: Record<string, unknown>,
): Promise<void> {
  const terminal = ctx.io.stdoutIsTerminal;
  const doc = { dry_run: true, request, ...(current ? { current } : {}) };
  if (isDocumentFormat(format)) return await ctx.io.stdout.write(await documentText(doc, format, terminal));
  const shown = terminal ? terminalDocument(doc) : doc;
  let text = `Dry run: nothing was sent\n${shown.request.method} ${shown.request.url}\n`;
  for (const [k, v] of Object.entries(shown.request.headers)) text += `${k}: ${v}\n`;
  if (request.body !== undefined) text += `${escapeUnsafe(JSON.stringify(request.body))}\n`;
  if (shown.current) {
    text += "\nCurrent state:\n";
    for (const [k, v] of Object.entries(shown.current)) text += `  ${k}: ${v ?? "-"}\n`;
  }
  await ctx.io.stdout.write(text);
}
