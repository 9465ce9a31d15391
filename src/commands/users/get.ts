import type { Context } from "../../context.ts";
import { writeRecord } from "../../output/mod.ts";
import { openSession } from "../api_session.ts";
import { USER_DETAIL_FIELDS, userDetails } from "./fields.ts";
import { parseUserId } from "./user_id.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../global_options.ts";

/** Parsed options of `users get`. */
export interface GetOptions {
  globals: GlobalOptions;
  id: string;
}

/** Parses the arguments of `users get`. */
export function parseGetOptions(id: string, raw: RawGlobalOptions): GetOptions {
  return { globals: parseGlobalOptions(raw), id: parseUserId(id) };
}

/** Prints every detail of one user. */
export async function runGet(options: GetOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const user = await session.users.get(options.id);
  await writeRecord(ctx.io.stdout, userDetails(user), {
    format: options.globals.output,
    color: session.color,
    columns: USER_DETAIL_FIELDS,
    keyValue: true,
  });
}
