import type { Context } from "../../../context.ts";
import { ValidationError } from "../../../errors.ts";
import { printable, writeRecord } from "../../../output/mod.ts";
import { usersPath } from "../../../api/users.ts";
import { openSession } from "../../../session/mod.ts";
import { parseRole } from "./role_flag.ts";
import { writeDryRun } from "./dry_run.ts";
import { parseFields, pickFields, USER_FIELDS, type UserField } from "./fields.ts";
import { parseUserId } from "../../../arguments/user_id.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";

/** Parsed options of `users set-role`. */
export interface SetRoleOptions {
  globals: GlobalOptions;
  id: string;
  role: string;
  dryRun: boolean;
  fields: readonly UserField[];
}

/** Parses the arguments of `users set-role`; the role is one of the contract's (src/wire), as with invite. */
export function parseSetRoleOptions(
  id: string,
  raw: RawGlobalOptions & { role?: string; dryRun?: true; fields?: string },
): SetRoleOptions {
  if (raw.role === undefined) {
    throw new ValidationError('Required option "--role <role>" not specified', { code: "USAGE_ERROR" });
  }
  const role = parseRole(raw.role);
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    id: parseUserId(id),
    role,
    dryRun: raw.dryRun === true,
    fields: parseFields(raw.fields, USER_FIELDS, globals.output),
  };
}

/**
 * Gives a user another role (`PATCH /v1/users/{id}`) and prints the user; on a terminal says on stderr what
 * changed, which takes one more request (the user as it was) that a script does not pay for.
 */
export async function runSetRole(options: SetRoleOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx, { requireKey: !options.dryRun });
  const idempotencyKey = crypto.randomUUID();
  const body = { role: options.role };
  if (options.dryRun) {
    return await writeDryRun(ctx, options.globals.output, {
      method: "PATCH",
      url: session.client.url({ path: usersPath.user(options.id) }),
      headers: { "idempotency-key": idempotencyKey },
      body,
    });
  }
  const tell = ctx.io.stderrIsTerminal;
  const before = tell ? await session.users.get(options.id) : undefined;
  const user = await session.users.setRole(options.id, options.role, idempotencyKey);
  if (before !== undefined) {
    const who = `${printable(user.email)} (${user.id})`;
    await ctx.io.stderr.write(
      before.role === user.role
        ? `${who} already has the role ${printable(user.role)}; nothing changed\n`
        : `Changed the role of ${who} from ${printable(before.role)} to ${printable(user.role)}` +
          (before.role === "admin" ? "; their admin:users API keys are revoked\n" : "\n"),
    );
  }
  await writeRecord(ctx.io.stdout, pickFields(user, options.fields), {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  });
}
