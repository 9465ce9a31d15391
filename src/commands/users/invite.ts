import type { Context } from "../../context.ts";
import { quoted, ValidationError } from "../../errors.ts";
import { writeRecord } from "../../output/mod.ts";
import { usersPath } from "../../api/users.ts";
import { openSession } from "../api_session.ts";
import { writeDryRun } from "./dry_run.ts";
import { parseFields, pickFields, USER_FIELDS, type UserField } from "./fields.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../global_options.ts";

/** Parsed options of `users invite`. */
export interface InviteOptions {
  globals: GlobalOptions;
  email: string;
  role: string;
  dryRun: boolean;
  fields: readonly UserField[];
}

const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** Checks the address locally so obvious mistakes need no round trip; the server has the full rules. */
export function parseEmail(raw: string): string {
  const email = raw.trim();
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(email)) {
    throw new ValidationError(`Invalid --email ${quoted(raw)}: control characters are not allowed`);
  }
  const [local, domain, ...rest] = email.split("@");
  if (local === undefined || domain === undefined || rest.length > 0 || local === "" || domain === "") {
    throw new ValidationError(
      `Invalid --email ${quoted(raw)}: expected one address such as alice@example.com`,
    );
  }
  // These would let one argument name several recipients, or a display name, in a mail header.
  if (/[\s,;<>()[\]"\\:]/u.test(local)) {
    throw new ValidationError(
      `Invalid --email ${
        quoted(raw)
      }: the part before "@" may not contain spaces or any of , ; < > ( ) [ ] " \\ :`,
    );
  }
  if (!domain.split(".").every((label) => DOMAIN_LABEL.test(label))) {
    throw new ValidationError(
      `Invalid --email ${quoted(raw)}: the domain must be dot-separated names of letters, digits and hyphens`,
    );
  }
  return email;
}

/** Parses the raw flags of `users invite`. */
export function parseInviteOptions(
  raw: RawGlobalOptions & { email: string; role: string; dryRun?: true; fields?: string },
): InviteOptions {
  const role = raw.role.trim();
  if (role === "") throw new ValidationError('Invalid --role "": must not be empty');
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
  await writeRecord(ctx.io.stdout, pickFields(user, options.fields), {
    format: options.globals.output,
    color: session.color,
    columns: options.fields,
  });
}
