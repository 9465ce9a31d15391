import type { Context } from "../../../context.ts";
import { BulkError, PhywareError, ValidationError } from "../../../errors.ts";
import { usersPath } from "../../../api/users.ts";
import { parseEmail } from "../../../arguments/email.ts";
import { type ApiSession, openSession } from "../../../session/mod.ts";
import { refuseSharedStdin } from "../../../session/credentials.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { type BulkResult, bulkWriter, duplicateError, parseBulkFields, rowError } from "./bulk_output.ts";
import {
  duplicateFinder,
  fromFile,
  fromList,
  type InviteRow,
  inviteRows,
  mailboxOf,
  type RowSource,
} from "./bulk_rows.ts";
import { parseConcurrency, parseMaxWait, processRows, startBulkRun } from "./bulk_run.ts";
import { parseRole } from "./role_flag.ts";
import { isRateLimited } from "./bulk_pacer.ts";

/** The fields of each bulk invite result, in order. */
export const BULK_INVITE_FIELDS = ["line", "email", "role", "result", "id", "status", "error"] as const;

/** Parsed options of a bulk `users invite` (several --email, or --from-file). */
export interface BulkInviteOptions {
  globals: GlobalOptions;
  emails: string[];
  fromFile: string | undefined;
  role: string;
  concurrency: number;
  maxWaitMs: number | undefined;
  dryRun: boolean;
  fields: readonly string[];
  emailColumn: string | undefined;
  roleColumn: string | undefined;
}

/** Parses the options of a bulk invite. */
export function parseBulkInviteOptions(
  raw: RawGlobalOptions & {
    email: string[];
    fromFile?: string;
    role: string;
    concurrency?: string;
    maxWait?: string;
    dryRun?: true;
    fields?: string;
    emailColumn?: string;
    roleColumn?: string;
  },
): BulkInviteOptions {
  const concurrency = parseConcurrency(raw.concurrency);
  if (raw.fromFile !== undefined && raw.email.length > 0) {
    throw new ValidationError("Use --email or --from-file, not both");
  }
  if (raw.fromFile === undefined && (raw.emailColumn !== undefined || raw.roleColumn !== undefined)) {
    throw new ValidationError(
      `${raw.emailColumn !== undefined ? "--email-column" : "--role-column"} needs --from-file`,
    );
  }
  // Checked before any row, as a single invite checks it: a wrong --role stops the run, not each row.
  const role = parseRole(raw.role);
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    emails: raw.email,
    fromFile: raw.fromFile,
    role,
    concurrency,
    maxWaitMs: parseMaxWait(raw.maxWait),
    dryRun: raw.dryRun === true,
    fields: parseBulkFields(raw.fields, BULK_INVITE_FIELDS, globals.output),
    emailColumn: raw.emailColumn,
    roleColumn: raw.roleColumn,
  };
}

/**
 * The id and status of the user an `exists` row names (`users.findByEmail`: `GET /v1/users?email=`, one
 * request). A server from before that filter answers 400: then `exists` rows go without them (null), and
 * it is not asked again. A 429 is the pacer's to wait out.
 */
function existingUsers(session: ApiSession) {
  let supported = true;
  return async (email: string): Promise<{ id: string; status: string } | undefined> => {
    if (!supported) return undefined;
    try {
      const user = await session.users.findByEmail(email);
      return user === undefined ? undefined : { id: user.id, status: user.status };
    } catch (error) {
      if (isRateLimited(error)) throw error;
      if (error instanceof ValidationError) supported = false;
      else if (!(error instanceof PhywareError)) throw error;
      return undefined;
    }
  };
}

/**
 * Invites many users: rows go out paced by the server's limits (at most --concurrency at once, fewer after a
 * 429, a 429'd row retried until done or --max-wait), each with its own Idempotency-Key (reused by its
 * retries); one result per row in input order; an email that exists is `exists`, so a rerun finishes the
 * job; a row repeating an earlier row's mailbox is `duplicate` and is not sent.
 */
export async function runBulkInvite(options: BulkInviteOptions, ctx: Context): Promise<void> {
  if (options.fromFile === "-") refuseSharedStdin("--from-file -", options.globals, ctx.env);
  const dupes = duplicateFinder(mailboxOf);
  const choice = { emailColumn: options.emailColumn, roleColumn: options.roleColumn };
  await using source: RowSource<InviteRow> = options.fromFile !== undefined
    ? await fromFile(options.fromFile, ctx, (path) => inviteRows(path, ctx, choice), {
      check: dupes.check,
    })
    : fromList(options.emails.map((email, i): InviteRow => ({ line: i + 1, email, role: undefined })));
  if (options.fromFile === undefined) { for await (const row of source.rows()) dupes.check(row); }
  const { total } = source;
  await using run = startBulkRun(ctx, {
    concurrency: options.concurrency,
    maxWaitMs: options.maxWaitMs,
    total,
    doing: options.dryRun ? "Checking" : "Inviting",
  });
  const session = await openSession(options.globals, run.ctx, {
    requireKey: !options.dryRun,
    retryRateLimited: false,
  });
  const lookup = existingUsers(session);
  const out = bulkWriter(run.ctx, options.globals.output, options.fields);
  const counts = { invited: 0, exists: 0, duplicate: 0, failed: 0 };
  let firstFailure: PhywareError | undefined;

  const invite = async (row: InviteRow, started: number): Promise<BulkResult> => {
    const rawRole = row.role?.trim() || options.role;
    const result: BulkResult = {
      line: row.line,
      email: row.email,
      role: rawRole,
      result: "failed",
      id: null,
      status: null,
      error: null,
    };
    // Asked before any wait: rows reach this function in input order, and an earlier row must be seen first.
    const earlier = dupes.duplicateOf(row);
    try {
      const email = parseEmail(row.email);
      result.email = email;
      // Named as the server names the field, so --dry-run fails a row with the error a real run gets.
      const role = parseRole(rawRole, '"role"');
      result.role = role;
      if (earlier !== undefined) {
        return { ...result, result: "duplicate", error: duplicateError(earlier, "mailbox", "invites") };
      }
      if (options.dryRun) return { ...result, result: "would_invite" };
      const key = crypto.randomUUID();
      const user = await run.paced(() => session.users.invite({ email, role }, key), started);
      return { ...result, result: "invited", id: user.id, status: user.status };
    } catch (error) {
      if (!(error instanceof PhywareError)) throw error;
      if (error.code === "CONFLICT" && error.status === 409 && /exists/i.test(error.message)) {
        const found = await run.paced(() => lookup(String(result.email)), started);
        return { ...result, result: "exists", id: found?.id ?? null, status: found?.status ?? null };
      }
      firstFailure ??= error;
      return { ...result, error: rowError(error) };
    }
  };

  await processRows(run, source.rows(), invite, out, counts);
  const dupNote = counts.duplicate > 0 ? `, ${counts.duplicate} duplicate` : "";
  if (options.dryRun) {
    const url = session.client.url({ path: usersPath.collection });
    const bad = counts.failed > 0 ? `, ${counts.failed} would fail` : "";
    const sent = total - counts.failed - counts.duplicate;
    await ctx.io.stderr.write(
      `Dry run: nothing was sent; ${sent} rows would go to POST ${url}${bad}${dupNote}\n`,
    );
  }
  const summary =
    `${counts.invited} invited, ${counts.exists} already existed${dupNote}, ${counts.failed} failed`;
  if (firstFailure !== undefined) throw new BulkError(summary, firstFailure.exitCode, firstFailure.code);
  if (!options.dryRun) await ctx.io.stderr.write(`${summary}\n`);
}
