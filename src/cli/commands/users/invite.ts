import type { Context } from "../../../context.ts";
import { printable, writeRecord } from "../../../output/mod.ts";
import { usersPath } from "../../../api/users.ts";
import { openSession } from "../../../session/mod.ts";
import { parseEmail } from "../../../arguments/email.ts";
import { parseRole } from "./role_flag.ts";
import { writeDryRun } from "./dry_run.ts";
import { parseFields, pickFields, USER_FIELDS, type UserField } from "./fields.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";

/** Parsed options of `users invite`. */
export interface InviteOptions {
  globals: GlobalOptions;
  email: string;
  role: string;
  dryRun: boolean;
  fields: readonly UserField[];
}

/** Parses the raw flags of `users invite`. */
export function parseInviteOptions(
  raw: RawGlobalOptions & { email: string; role: string; dryRun?: true; fields?: string },
): InviteOptions {
  const role = parseRole(raw.role);
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    email: parseEmail(raw.email),
    role,
    dryRun: raw.dryRun === true,
    fields: parseFields(raw.fields, USER_FIELDS, globals.output),
  };
}

/** Invites a user: creates the pending user and sends the invitation email. */
export async function runInvite(options: InviteOptions, ctx: Context): Promise<void> {
  const body = { email: options.email, role: options.role };
  const idempotencyKey = crypto.randomUUID();
  const session = await openSession(options.globals, ctx, { requireKey: !options.dryRun });
  if (options.dryRun) {
    const url = session.client.url({ path: usersPath.collection });
    await writeDryRun(ctx, options.globals.output, {
      method: "POST",
      url,
      headers: { "idempotency-key": idempotencyKey },
      body,
    });
    return;
  }
  const user = await session.users.invite(body, idempotencyKey);
  // Said on stderr, so stdout stays the record a script reads.
  if (ctx.io.stderrIsTerminal) {
    await ctx.io.stderr.write(`Invited ${printable(user.email)} (${user.id}) as ${printable(user.role)}\n`);
  }
  await writeRecord(ctx.io.stdout, pickFields(user, options.fields), {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  });
}
