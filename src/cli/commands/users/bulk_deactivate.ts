import type { Context } from "../../../context.ts";
import { BulkError, CancelledError, PhywareError, ValidationError } from "../../../errors.ts";
import { printable } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { refuseSharedStdin } from "../../../session/credentials.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { type BulkResult, bulkWriter, parseBulkFields } from "./bulk_output.ts";
import { fromFile, fromList, type IdRow, idRows, type RowSource } from "./bulk_rows.ts";
import { parseConcurrency, parseMaxWait, startBulkRun } from "./bulk_run.ts";
import { isYes } from "../shared/confirm.ts";
import { parseUserId } from "../../../arguments/user_id.ts";

/** The fields of each bulk deactivate result, in order. */
export const BULK_DEACTIVATE_FIELDS = ["line", "id", "email", "status", "result", "error"] as const;

/** Parsed options of a bulk `users deactivate` (several USER_IDs, or --from-file). */
export interface BulkDeactivateOptions {
  globals: GlobalOptions;
  ids: string[];
  fromFile: string | undefined;
  yes: boolean;
  dryRun: boolean;
  concurrency: number;
  maxWaitMs: number | undefined;
  fields: readonly string[];
}

/** Parses the options of a bulk deactivate. */
export function parseBulkDeactivateOptions(
  ids: string[],
  raw: RawGlobalOptions & {
    fromFile?: string;
    yes?: true;
    dryRun?: true;
    concurrency?: string;
    maxWait?: string;
    fields?: string;
  },
): BulkDeactivateOptions {
  const concurrency = parseConcurrency(raw.concurrency);
  if (raw.fromFile !== undefined && ids.length > 0) {
    throw new ValidationError("Use USER_IDs or --from-file, not both");
  }
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    ids,
    fromFile: raw.fromFile,
    yes: raw.yes === true,
    dryRun: raw.dryRun === true,
    concurrency,
    maxWaitMs: parseMaxWait(raw.maxWait),
    fields: parseBulkFields(raw.fields, BULK_DEACTIVATE_FIELDS, globals.output),
  };
}

/**
 * Deactivates several users: one confirmation on a terminal naming the count (and the emails up to ten);
 * without a terminal, `--yes` is required before anything is sent. Ids stream from the file (counted first,
 * never all in memory), paced and shown exactly as bulk invite's rows (./bulk_run.ts); one result per id,
 * in input order.
 */
export async function runBulkDeactivate(options: BulkDeactivateOptions, ctx: Context): Promise<void> {
  if (options.fromFile === "-") refuseSharedStdin("--from-file -", options.globals, ctx.env);
  await using source: RowSource<IdRow> = options.fromFile !== undefined
    ? await fromFile(options.fromFile, ctx, (path) => idRows(path, ctx))
    : fromList(options.ids.map((id, i): IdRow => ({ line: i + 1, id })));
  const { total } = source;
  const interactive = ctx.io.stdinIsTerminal && ctx.io.stderrIsTerminal;
  if (!options.yes && !options.dryRun && !interactive) {
    throw new ValidationError(
      `Deactivating ${total} users needs --yes when there is no terminal to confirm on`,
    );
  }
  const session = await openSession(options.globals, ctx);
  if (!options.yes && !options.dryRun) {
    let named = "";
    if (total <= 10) {
      const emails: string[] = [];
      for await (const { id } of source.rows()) {
        try {
          emails.push(printable((await session.users.get(parseUserId(id))).email));
        } catch {
          emails.push(id);
        }
      }
      named = ` (${emails.join(", ")})`;
    }
    const answer = await ctx.io.readLine(
      `Deactivate ${total} users${named}? This revokes all their sessions and API keys and cannot be ` +
        "undone with phyware. [y/N] ",
    );
    if (answer === null) await ctx.io.stderr.write("\n");
    if (!isYes(answer)) throw new CancelledError(`Cancelled: no user was deactivated`);
  }
  await using run = startBulkRun(ctx, {
    concurrency: options.concurrency,
    maxWaitMs: options.maxWaitMs,
    total,
    doing: options.dryRun ? "Checking" : "Deactivating",
  });
  const paced = await openSession(options.globals, run.ctx, { retryRateLimited: false });
  const out = bulkWriter(run.ctx, options.globals.output, options.fields);
  const counts = { deactivated: 0, already_inactive: 0, failed: 0 };
  let firstFailure: PhywareError | undefined;
  const deactivate = async ({ line, id }: IdRow, started: number): Promise<BulkResult> => {
    const result: BulkResult = { line, id, email: null, status: null, result: "failed", error: null };
    try {
      const userId = parseUserId(id);
      const user = await run.paced(() => paced.users.get(userId), started);
      if (user.status === "inactive") {
        return { ...result, email: user.email, status: user.status, result: "already_inactive" };
      }
      if (options.dryRun) {
        return { ...result, email: user.email, status: user.status, result: "would_deactivate" };
      }
      const key = crypto.randomUUID();
      const done = await run.paced(() => paced.users.deactivate(user.id, key), started);
      return { ...result, email: done.email, status: done.status, result: "deactivated" };
    } catch (error) {
      if (!(error instanceof PhywareError)) throw error;
      firstFailure ??= error;
      return {
        ...result,
        error: { code: error.code, message: error.message, remediation: error.remediation ?? null },
      };
    }
  };
  await run.each(
    source.rows(),
    deactivate,
    async (result) => {
      if (result.result === "deactivated") counts.deactivated++;
      else if (result.result === "already_inactive") counts.already_inactive++;
      else if (result.result === "failed") counts.failed++;
      await out.row(result);
    },
    (result) => result.result === "failed",
  );
  await out.end();
  await run[Symbol.asyncDispose]();
  const summary =
    `${counts.deactivated} deactivated, ${counts.already_inactive} already inactive, ${counts.failed} failed`;
  if (firstFailure !== undefined) throw new BulkError(summary, firstFailure.exitCode, firstFailure.code);
  await ctx.io.stderr.write(options.dryRun ? `Dry run: nothing was changed\n` : `${summary}\n`);
}
