import type { Context } from "../../context.ts";
import { writeRecord } from "../../output/mod.ts";
import { openSession } from "../../session.ts";
import { parseFields, pickFields, USER_DETAIL_FIELDS, type UserField } from "./fields.ts";
import { parseUserId } from "./user_id.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../global_options.ts";

/** Parsed options of `users get`. */
export interface GetOptions {
  globals: GlobalOptions;
  id: string;
  fields: readonly UserField[];
}

/** Parses the arguments of `users get`. */
export function parseGetOptions(id: string, raw: RawGlobalOptions & { fields?: string }): GetOptions {
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    id: parseUserId(id),
    fields: parseFields(raw.fields, USER_DETAIL_FIELDS, globals.output),
  };
}

/** Prints every detail of one user. */
export async function runGet(options: GetOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const user = await session.users.get(options.id);
  await writeRecord(ctx.io.stdout, pickFields(user, options.fields), {
    format: options.globals.output,
    color: session.color,
    columns: options.fields,
    keyValue: true,
  });
}
