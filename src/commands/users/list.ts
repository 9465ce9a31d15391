import type { Context } from "../../context.ts";
import { quoted, ValidationError } from "../../errors.ts";
import { createListWriter } from "../../output/mod.ts";
import { openSession } from "../../session.ts";
import { parseFields, pickFields, USER_FIELDS, type UserField } from "./fields.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../global_options.ts";

/**
 * Users asked for per page. Measured (bench/RESULTS.md): pages of 1000 let peak RSS grow by 13-17 MiB from
 * 10,000 to 100,000 users, as the runtime's collector trails ~180 KB bodies; pages of 250 keep the growth to
 * ~5 MiB and still list 100,000 users in about a fifth of the time of a curl loop.
 */
export const PAGE_SIZE = 250;

/** Parsed options of `users list`. */
export interface ListOptions {
  globals: GlobalOptions;
  status: string | undefined;
  role: string | undefined;
  /** Stop after this many users; undefined for all. */
  limit: number | undefined;
  fields: readonly UserField[];
}

/** Parses the raw flags of `users list`. */
export function parseListOptions(
  raw: RawGlobalOptions & { status?: string; role?: string; limit?: string; fields?: string },
): ListOptions {
  let limit: number | undefined;
  if (raw.limit !== undefined) {
    if (!/^\d+$/.test(raw.limit) || Number(raw.limit) < 1 || !Number.isSafeInteger(Number(raw.limit))) {
      throw new ValidationError(
        `Invalid --limit ${quoted(raw.limit)}: expected a whole number of at least 1`,
      );
    }
    limit = Number(raw.limit);
  }
  const role = raw.role?.trim();
  if (role === "") throw new ValidationError('Invalid --role "": must not be empty');
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    status: raw.status,
    role,
    limit,
    fields: parseFields(raw.fields, USER_FIELDS, globals.output),
  };
}

/** Lists every user of the tenant, following pagination and printing rows as pages arrive. */
export async function runList(options: ListOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const writer = createListWriter(ctx.io.stdout, {
    format: options.globals.output,
    color: session.color,
    columns: options.fields,
  });
  let remaining = options.limit ?? Infinity;
  const pageSize = Math.min(PAGE_SIZE, remaining);
  for await (const page of session.users.pages({ status: options.status, role: options.role }, pageSize)) {
    const rows = page.length > remaining ? page.slice(0, remaining) : page;
    remaining -= rows.length;
    await writer.page(rows.map((user) => pickFields(user, options.fields)));
    if (remaining <= 0) break;
  }
  await writer.end();
}
