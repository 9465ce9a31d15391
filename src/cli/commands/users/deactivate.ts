import type { Context } from "../../../context.ts";
import { CancelledError } from "../../../errors.ts";
import { printable, writeRecord } from "../../../output/mod.ts";
import { usersPath } from "../../../api/users.ts";
import { openSession } from "../../../session/mod.ts";
import { isYes } from "../shared/confirm.ts";
import { writeDryRun } from "./dry_run.ts";
import { parseFields, pickFields, USER_FIELDS, userDetails, type UserField } from "./fields.ts";
import { parseUserId } from "../../../arguments/user_id.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";

/** Parsed options of `users deactivate`. */
export interface DeactivateOptions {
  globals: GlobalOptions;
  id: string;
  yes: boolean;
  dryRun: boolean;
  fields: readonly UserField[];
}

/** Parses the arguments of `users deactivate`. */
export function parseDeactivateOptions(
  id: string,
  raw: RawGlobalOptions & { yes?: true; dryRun?: true; fields?: string },
): DeactivateOptions {
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    id: parseUserId(id),
    yes: raw.yes === true,
    dryRun: raw.dryRun === true,
    fields: parseFields(raw.fields, USER_FIELDS, globals.output),
  };
}

/** Deactivates a user after confirmation on a terminal; an already inactive user is reported, not an error. */
export async function runDeactivate(options: DeactivateOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const render = {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  };
  const user = await session.users.get(options.id);
  if (options.dryRun) {
    await writeDryRun(
      ctx,
      options.globals.output,
      {
        method: "POST",
        url: session.client.url({ path: usersPath.deactivate(options.id) }),
        headers: { "idempotency-key": crypto.randomUUID() },
      },
      userDetails(user),
    );
    return;
  }
  if (user.status === "inactive") {
    await ctx.io.stderr.write(
      `User ${user.id} (${printable(user.email)}) is already inactive; nothing to do\n`,
    );
    await writeRecord(ctx.io.stdout, pickFields(user, options.fields), render);
    return;
  }
  if (!options.yes && ctx.io.stdinIsTerminal && ctx.io.stderrIsTerminal) {
    const answer = await ctx.io.readLine(
      `Deactivate ${printable(user.email)} (${user.id})? This revokes all their sessions and API keys ` +
        "and cannot be undone with phyware. [y/N] ",
    );
    // End the prompt's line when the user pressed Ctrl-D, so the error starts on its own line.
    if (answer === null) await ctx.io.stderr.write("\n");
    if (!isYes(answer)) throw new CancelledError(`Cancelled: ${printable(user.email)} was not deactivated`);
  }
  const result = await session.users.deactivate(options.id, crypto.randomUUID());
  if (ctx.io.stderrIsTerminal) {
    await ctx.io.stderr.write(`Deactivated ${printable(result.email)} (${result.id})\n`);
  }
  await writeRecord(ctx.io.stdout, pickFields(result, options.fields), render);
}
