import type { Context } from "../../../context.ts";
import { printable, writeRecord } from "../../../output/mod.ts";
import { usersPath } from "../../../api/users.ts";
import { openSession } from "../../../session/mod.ts";
import { writeDryRun } from "./dry_run.ts";
import { parseFields, pickFields, USER_FIELDS, type UserField } from "./fields.ts";
import { parseUserId } from "../../../arguments/user_id.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";

/** Parsed options of `users resend-invite`. */
export interface ResendInviteOptions {
  globals: GlobalOptions;
  id: string;
  dryRun: boolean;
  fields: readonly UserField[];
}

/** Parses the arguments of `users resend-invite`. */
export function parseResendInviteOptions(
  id: string,
  raw: RawGlobalOptions & { dryRun?: true; fields?: string },
): ResendInviteOptions {
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    id: parseUserId(id),
    dryRun: raw.dryRun === true,
    fields: parseFields(raw.fields, USER_FIELDS, globals.output),
  };
}

/** Sends a pending user a new invitation (`POST /v1/users/{id}/invitation`) and prints the user. */
export async function runResendInvite(options: ResendInviteOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx, { requireKey: !options.dryRun });
  const idempotencyKey = crypto.randomUUID();
  if (options.dryRun) {
    return await writeDryRun(ctx, options.globals.output, {
      method: "POST",
      url: session.client.url({ path: usersPath.invitation(options.id) }),
      headers: { "idempotency-key": idempotencyKey },
    });
  }
  const user = await session.users.resendInvitation(options.id, idempotencyKey);
  if (ctx.io.stderrIsTerminal) {
    await ctx.io.stderr.write(`Sent a new invitation to ${printable(user.email)} (${user.id})\n`);
  }
  await writeRecord(ctx.io.stdout, pickFields(user, options.fields), {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  });
}
