import type { Context } from "../../../context.ts";
import { BulkError, CancelledError, PhywareError, ValidationError } from "../../../errors.ts";
import { printable } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { refuseSharedStdin } from "../../../session/credentials.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { type BulkResult, bulkWriter, duplicateError, parseBulkFields, rowError } from "./bulk_output.ts";
import {
  duplicateFinder,
  fromFile,
  fromList,
  ID_FILE_FIX,
  type IdRow,
  idRows,
  type RowSource,
} from "./bulk_rows.ts";
import { parseConcurrency, parseMaxWait, processRows, startBulkRun } from "./bulk_run.ts";
import { isYes } from "../shared/confirm.ts";
import { parseUserId } from "../../../arguments/user_id.ts";

/** The fields of each bulk deactivate result, in order. */
export const BULK_DEACTIVATE_FIELDS = ["line", "id", "email", "status", "result", "error"] as const;

/** Parsed options of a bulk `users deactivate` (several USER_IDs, or --from-file). */
export interface BulkDeactivateOptions {
  globals: GlobalOptions;
  /** The USER_IDs given, each checked (parseUserId). */
  ids: string[];
  fromFile: string | undefined;
  yes: boolean;
  dryRun: boolean;
  concurrency: number;
  maxWaitMs: number | undefined;
  fields: readonly string[];
}

/** Parses the options of a bulk deactivate; every USER_ID is checked here, before any request. */
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
    ids: ids.map(parseUserId),
    fromFile: raw.fromFile,
    yes: raw.yes === true,
    dryRun: raw.dryRun === true,
    concurrency,
    maxWaitMs: parseMaxWait(raw.maxWait),
    fields: parseBulkFields(raw.fields, BULK_DEACTIVATE_FIELDS, globals.output),
  };
}

/** "1 user", "3 users". */
function users(n: number): string {
  return `${n} user${n === 1 ? "" : "s"}`;
}

/**
 * The email of each id, in order, to name in the confirmation: looked up as the run's rows are (paced by the
 * server's limits, 429s waited out up to --max-wait, progress on a terminal), an id standing for its user
 * when the look-up fails. A repeated id is looked up and named once.
 */
async function emailsOf(
  ids: AsyncIterable<IdRow>,
  count: number,
  options: BulkDeactivateOptions,
  ctx: Context,
): Promise<string[]> {
  await using run = startBulkRun(ctx, {
    concurrency: options.concurrency,
    maxWaitMs: options.maxWaitMs,
    total: count,
    doing: "Looking up",
  });
  const session = await openSession(options.globals, run.ctx, { retryRateLimited: false });
  const seen = new Set<string>();
  const once = async function* () {
    for await (const { id } of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      yield id;
    }
  };
  const emails: string[] = [];
  await run.each(
    once(),
    async (id, started) => {
      try {
        return printable((await run.paced(() => session.users.get(id), started)).email);
      } catch (error) {
        if (!(error instanceof PhywareError)) throw error;
        return printable(id);
      }
    },
    (email) => {
      emails.push(email);
      return Promise.resolve();
    },
    () => false,
  );
  return emails;
}

/**
 * Deactivates several users: every id is checked before any request (a bad id in a file exits 4 naming its
 * line, as a malformed row of bulk invite does; a bad USER_ID as for one id); one confirmation on a terminal
 * naming the count (and the emails up to ten); without a terminal, `--yes` is required before anything is
 * sent. Ids stream from the file (counted first, never all in memory), paced and shown exactly as bulk
 * invite's rows (./bulk_run.ts); one result per id, in input order; an id repeating an earlier line is
 * `duplicate` and is not sent.
 */
export async function runBulkDeactivate(options: BulkDeactivateOptions, ctx: Context): Promise<void> {
  if (options.fromFile === "-") refuseSharedStdin("--from-file -", options.globals, ctx.env);
  const dupes = duplicateFinder((row: IdRow) => row.id);
  await using source: RowSource<IdRow> = options.fromFile !== undefined
    ? await fromFile(options.fromFile, ctx, (path) => idRows(path, ctx), {
      check: dupes.check,
      fix: ID_FILE_FIX,
    })
    : fromList(options.ids.map((id, i): IdRow => ({ line: i + 1, id })));
  if (options.fromFile === undefined) { for await (const row of source.rows()) dupes.check(row); }
  const { total } = source;
  const distinct = total - dupes.repeats;
  const interactive = ctx.io.stdinIsTerminal && ctx.io.stderrIsTerminal;
  if (!options.yes && !options.dryRun && !interactive) {
    throw new ValidationError(
      `Deactivating ${users(distinct)} needs --yes when there is no terminal to confirm on`,
    );
  }
  if (!options.yes && !options.dryRun) {
    const named = distinct <= 10
      ? ` (${(await emailsOf(source.rows(), distinct, options, ctx)).join(", ")})`
      : "";
    const answer = await ctx.io.readLine(
      `Deactivate ${users(distinct)}${named}? This revokes all their sessions and API keys and cannot be ` +
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
  const counts = { deactivated: 0, already_inactive: 0, duplicate: 0, failed: 0 };
  let firstFailure: PhywareError | undefined;
  const deactivate = async (row: IdRow, started: number): Promise<BulkResult> => {
    const { line, id } = row;
    const result: BulkResult = { line, id, email: null, status: null, result: "failed", error: null };
    // Asked before any wait: rows reach this function in input order, and an earlier row must be seen first.
    const earlier = dupes.duplicateOf(row);
    if (earlier !== undefined) {
      return { ...result, result: "duplicate", error: duplicateError(earlier, "user id", "deactivates") };
    }
    try {
      const user = await run.paced(() => paced.users.get(id), started);
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
      return { ...result, error: rowError(error) };
    }
  };
  await processRows(run, source.rows(), deactivate, out, counts);
  const dupNote = counts.duplicate > 0 ? `, ${counts.duplicate} duplicate` : "";
  const summary =
    `${counts.deactivated} deactivated, ${counts.already_inactive} already inactive${dupNote}, ` +
    `${counts.failed} failed`;
  if (firstFailure !== undefined) throw new BulkError(summary, firstFailure.exitCode, firstFailure.code);
  await ctx.io.stderr.write(options.dryRun ? `Dry run: nothing was changed\n` : `${summary}\n`);
}
