import type { Context } from "../../../context.ts";
import { NotFoundError, quoted, ValidationError } from "../../../errors.ts";
import { EmailRuleError, normalizeEmail } from "../../../email/mod.ts";
import { printable, writeRecord } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { parseFields, pickFields, USER_DETAIL_FIELDS, type UserField } from "./fields.ts";
import { parseUserId } from "../../../arguments/user_id.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";

/** Parsed options of `users get`: a user id, or an email address to look the user up by. */
export interface GetOptions {
  globals: GlobalOptions;
  /** The USER_ID; undefined when `email` is given instead. */
  id: string | undefined;
  /** The address given in place of USER_ID (an argument with "@"), normalised. */
  email: string | undefined;
  fields: readonly UserField[];
}

// No user id holds "@" (ids are usr_ and base62), so an argument with one can only be an address.
function parseUserRef(raw: string): { id: string; email: undefined } | { id: undefined; email: string } {
  if (!raw.includes("@")) return { id: parseUserId(raw), email: undefined };
  try {
    return { id: undefined, email: normalizeEmail(raw) };
  } catch (error) {
    if (!(error instanceof EmailRuleError)) throw error;
    throw new ValidationError(`Invalid email ${quoted(raw.slice(0, 80))}: ${error.message}`);
  }
}

/** Parses the arguments of `users get`. */
export function parseGetOptions(id: string, raw: RawGlobalOptions & { fields?: string }): GetOptions {
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    ...parseUserRef(id),
    fields: parseFields(raw.fields, USER_DETAIL_FIELDS, globals.output),
  };
}

/** Prints every detail of one user, found by id or by email address. */
export async function runGet(options: GetOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  let user;
  if (options.email !== undefined) {
    user = await session.users.findByEmail(options.email);
    if (user === undefined) {
      throw new NotFoundError("User not found", {
        remediation: `No user has the email ${quoted(printable(options.email))}; ` +
          "search with phyware users list --search TEXT",
      });
    }
  } else {
    user = await session.users.get(options.id ?? "");
  }
  await writeRecord(ctx.io.stdout, pickFields(user, options.fields), {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
    keyValue: true,
  });
}
