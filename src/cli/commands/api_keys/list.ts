import { ApiKeysApi } from "../../../api/api_keys.ts";
import type { Context } from "../../../context.ts";
import { createListWriter } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { type ApiKeyField, parseKeyFields, pickKeyFields } from "./fields.ts";
import { parseLimit, upToLimit } from "../shared/limit_flag.ts";
import { PAGE_SIZE } from "../../../api/client.ts";

/** Parsed options of `api-keys list`. */
export interface ListKeysOptions {
  globals: GlobalOptions;
  /** Stop after this many keys; undefined for all. */
  limit: number | undefined;
  fields: readonly ApiKeyField[];
}

/** Parses the arguments of `api-keys list`. */
export function parseListKeysOptions(
  raw: RawGlobalOptions & { limit?: string; fields?: string },
): ListKeysOptions {
  const limit = parseLimit(raw.limit);
  const globals = parseGlobalOptions(raw);
  return { globals, limit, fields: parseKeyFields(raw.fields, globals.output) };
}

/** Lists the keys the caller may see (with admin:users, the tenant's), in creation order. */
export async function runListKeys(options: ListKeysOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const writer = createListWriter(ctx.io.stdout, {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  });
  const pages = new ApiKeysApi(session.client).pages(Math.min(PAGE_SIZE, options.limit ?? Infinity));
  for await (const page of upToLimit(pages, options.limit)) {
    await writer.page(page.map((key) => pickKeyFields(key, options.fields)));
  }
  await writer.end();
}
