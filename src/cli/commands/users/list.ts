import type { Context } from "../../../context.ts";
import { quotedInput, ValidationError } from "../../../errors.ts";
import { SEARCH_LENGTH } from "../../../wire/mod.ts";
import { parseRole } from "./role_flag.ts";
import { EmailRuleError, normalizeEmail } from "../../../email/mod.ts";
import { createListWriter } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { parseFields, pickFields, USER_FIELDS, type UserField } from "./fields.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { parseLimit, upToLimit } from "../shared/limit_flag.ts";
import { PAGE_SIZE } from "../../../api/client.ts";

/** Parsed options of `users list`. */
export interface ListOptions {
  globals: GlobalOptions;
  status: string | undefined;
  role: string | undefined;
  /** Only this mailbox's users (`--email`). */
  email: string | undefined;
  /** Only users whose email contains this text (`--search`). */
  search: string | undefined;
  /** Stop after this many users; undefined for all. */
  limit: number | undefined;
  fields: readonly UserField[];
}

function parseEmailFilter(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return normalizeEmail(raw);
  } catch (error) {
    if (!(error instanceof EmailRuleError)) throw error;
    throw new ValidationError(`Invalid --email ${quotedInput(raw)}: ${error.message}`);
  }
}

function parseSearch(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const length = [...raw].length;
  if (length < SEARCH_LENGTH.min || length > SEARCH_LENGTH.max) {
    throw new ValidationError(
      `Invalid --search ${
        quotedInput(raw)
      }: expected ${SEARCH_LENGTH.min} to ${SEARCH_LENGTH.max} characters`,
    );
  }
  return raw;
}

/** Parses the raw flags of `users list`. */
export function parseListOptions(
  raw: RawGlobalOptions & {
    status?: string;
    role?: string;
    email?: string;
    search?: string;
    limit?: string;
    fields?: string;
  },
): ListOptions {
  const limit = parseLimit(raw.limit);
  const role = raw.role === undefined ? undefined : parseRole(raw.role);
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    status: raw.status,
    role,
    email: parseEmailFilter(raw.email),
    search: parseSearch(raw.search),
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
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  });
  const pageSize = Math.min(PAGE_SIZE, options.limit ?? Infinity);
  const filters = {
    status: options.status,
    role: options.role,
    email: options.email,
    query: options.search,
  };
  for await (const page of upToLimit(session.users.pages(filters, pageSize), options.limit)) {
    await writer.page(page.map((user) => pickFields(user, options.fields)));
  }
  await writer.end();
}
