import type { Context } from "../../context.ts";
import { BulkError, PhywareError, quoted, ValidationError } from "../../errors.ts";
import { usersPath } from "../../api/users.ts";
import { parseEmail } from "../shared/email_flag.ts";
import { openSession } from "../../session.ts";
import { refuseSharedStdin } from "../../credentials.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../global_options.ts";
import { type BulkResult, bulkWriter, inOrder } from "./bulk_output.ts";
import { fromFile, type InviteRow, type RowSource } from "./bulk_rows.ts";

/** The fields of each bulk invite result, in order. */
export const BULK_INVITE_FIELDS = ["line", "email", "role", "result", "id", "status", "error"] as const;

/** Parsed options of a bulk `users invite` (several --email, or --from-file). */
export interface BulkInviteOptions {
  globals: GlobalOptions;
  emails: string[];
  fromFile: string | undefined;
  role: string;
  concurrency: number;
  dryRun: boolean;
}

/** Parses the options of a bulk invite. */
export function parseBulkInviteOptions(
  raw: RawGlobalOptions & {
    email: string[];
    fromFile?: string;
    role: string;
    concurrency?: string;
    dryRun?: true;
  },
): BulkInviteOptions {
  const concurrency = raw.concurrency === undefined ? 4 : Number(raw.concurrency);
  if (!/^\d+$/.test(raw.concurrency ?? "4") || concurrency < 1 || concurrency > 16) {
    throw new ValidationError(`Invalid --concurrency ${quoted(raw.concurrency ?? "")}: expected 1 to 16`);
  }
  if (raw.fromFile !== undefined && raw.email.length > 0) {
    throw new ValidationError("Use --email or --from-file, not both");
  }
  const role = raw.role.trim();
  if (role === "") throw new ValidationError('Invalid --role "": must not be empty');
  return {
    globals: parseGlobalOptions(raw),
    emails: raw.email,
    fromFile: raw.fromFile,
    role,
    concurrency,
    dryRun: raw.dryRun === true,
  };
}

function fromEmails(emails: string[]): RowSource {
  const list = emails.map((email, i): InviteRow => ({ line: i + 1, email, role: undefined }));
  return {
    total: list.length,
    rows: () =>
      (async function* () {
        yield* list;
      })(),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

function failure(error: PhywareError): BulkResult["error"] {
  return { code: error.code, message: error.message, remediation: error.remediation ?? null };
}

/**
 * Invites many users: rows go out `concurrency` at a time, each with its own Idempotency-Key (reused by its
 * retries); one result per row in input order; an email that exists is `exists`, so a rerun finishes the job.
 */
export async function runBulkInvite(options: BulkInviteOptions, ctx: Context): Promise<void> {
  if (options.fromFile === "-") refuseSharedStdin("--from-file -", options.globals, ctx.env);
  await using source = options.fromFile !== undefined
    ? await fromFile(options.fromFile, ctx)
    : fromEmails(options.emails);
  const { total, rows } = source;
  const session = await openSession(options.globals, ctx, { requireKey: !options.dryRun });
  const out = bulkWriter(ctx, options.globals.output, BULK_INVITE_FIELDS);
  const counts = { invited: 0, exists: 0, failed: 0 };
  let firstFailure: PhywareError | undefined;
  const progress = ctx.io.stderrIsTerminal;
  let done = 0;

  const invite = async (row: InviteRow): Promise<BulkResult> => {
    const role = row.role?.trim() || options.role;
    const result: BulkResult = {
      line: row.line,
      email: row.email,
      role,
      result: "failed",
      id: null,
      status: null,
      error: null,
    };
    try {
      const email = parseEmail(row.email);
      result.email = email;
      if (options.dryRun) return { ...result, result: "would_invite" };
      const user = await session.users.invite({ email, role }, crypto.randomUUID());
      return { ...result, result: "invited", id: user.id, status: user.status };
    } catch (error) {
      if (!(error instanceof PhywareError)) throw error;
      if (error.code === "CONFLICT" && error.status === 409 && /exists/i.test(error.message)) {
        return { ...result, result: "exists" };
      }
      firstFailure ??= error;
      return { ...result, error: failure(error) };
    }
  };

  for await (const result of inOrder(rows(), options.concurrency, invite)) {
    if (result.result === "invited") counts.invited++;
    else if (result.result === "exists") counts.exists++;
    else if (result.result === "failed") counts.failed++;
    await out.row(result);
    done++;
    if (progress) await ctx.io.stderr.write(`\r\x1b[K${done} of ${total} done, ${counts.failed} failed`);
  }
  await out.end();
  if (progress) await ctx.io.stderr.write("\r\x1b[K");
  if (options.dryRun) {
    const url = session.client.url({ path: usersPath.collection });
    const bad = counts.failed > 0 ? `, ${counts.failed} would fail` : "";
    await ctx.io.stderr.write(
      `Dry run: nothing was sent; ${total - counts.failed} rows would go to POST ${url}${bad}\n`,
    );
  }
  const summary = `${counts.invited} invited, ${counts.exists} already existed, ${counts.failed} failed`;
  if (firstFailure !== undefined) throw new BulkError(summary, firstFailure.exitCode, firstFailure.code);
  if (!options.dryRun) await ctx.io.stderr.write(`${summary}\n`);
}
