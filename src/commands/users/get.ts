import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../context.ts";
import { writeRecord } from "../../output/mod.ts";
import { openSession } from "../api_session.ts";
import { EXAMPLES, examplesHelp } from "./examples.ts";
import { USER_DETAIL_FIELDS, userDetails } from "./fields.ts";
import { parseUserId } from "./user_id.ts";
import {
  addGlobalOptions,
  type GlobalOptions,
  parseGlobalOptions,
  type RawGlobalOptions,
  withGroupOptions,
} from "../global_options.ts";

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

/** The `users get` command. */
export function getCommand(ctx: Context): CommandUnknownOpts {
  return addGlobalOptions(
    new Command("get")
      .description("Show full details of one user")
      .argument("<USER_ID>", "unique user identifier"),
  )
    .addHelpText("after", examplesHelp(EXAMPLES.get))
    .action(async (id, raw, cmd) => await runGet(parseGetOptions(id, withGroupOptions(raw, cmd)), ctx));
}
