import type { Context } from "../../context.ts";
import { BulkError, CancelledError, PhywareError, quoted, ValidationError } from "../../errors.ts";
import { printable } from "../../output/mod.ts";
import { openSession } from "../../session.ts";
import { refuseSharedStdin } from "../../credentials.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../global_options.ts";
import { type BulkResult, bulkWriter, inOrder } from "./bulk_output.ts";
import { isYes } from "../shared/confirm.ts";
import { parseUserId } from "./user_id.ts";

/** The fields of each bulk deactivate result, in order. */
export const BULK_DEACTIVATE_FIELDS = ["line", "id", "email", "status", "result", "error"] as const;

/** Parsed options of a bulk `users deactivate` (several USER_IDs, or --from-file). */
export interface BulkDeactivateOptions {
  globals: GlobalOptions;
  ids: string[];
  fromFile: string | undefined;
  yes: boolean;
  dryRun: boolean;
}

/** Parses the options of a bulk deactivate. */
export function parseBulkDeactivateOptions(
  ids: string[],
  raw: RawGlobalOptions & { fromFile?: string; yes?: true; dryRun?: true },
): BulkDeactivateOptions {
  if (raw.fromFile !== undefined && ids.length > 0) {
    throw new ValidationError("Use USER_IDs or --from-file, not both");
  }
  return {
    globals: parseGlobalOptions(raw),
    ids,
    fromFile: raw.fromFile,
    yes: raw.yes === true,
    dryRun: raw.dryRun === true,
  };
}

async function readIds(
  options: BulkDeactivateOptions,
  ctx: Context,
): Promise<Array<{ line: number; id: string }>> {
  if (options.fromFile === undefined) return options.ids.map((id, i) => ({ line: i + 1, id }));
  const ids: Array<{ line: number; id: string }> = [];
  let n = 0;
  try {
    for await (const line of ctx.readLines(options.fromFile)) {
      n++;
      if (line.trim() !== "") ids.push({ line: n, id: line.trim() });
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") {
      throw new ValidationError(`Cannot read --from-file ${quoted(options.fromFile)}: no such file`);
    }
    throw error;
  }
  if (ids.length === 0) throw new ValidationError(`Invalid --from-file ${quoted(options.fromFile)}: no ids`);
  return ids;
}

/**
 * Deactivates several users: one confirmation on a terminal naming the count (and the emails up to ten);
 * without a terminal, `--yes` is required before anything is sent. One result per id, in input order.
 */
export async function runBulkDeactivate(options: BulkDeactivateOptions, ctx: Context): Promise<void> {
  if (options.fromFile === "-") refuseSharedStdin("--from-file -", options.globals, ctx.env);
  const ids = await readIds(options, ctx);
  const interactive = ctx.io.stdinIsTerminal && ctx.io.stderrIsTerminal;
  if (!options.yes && !options.dryRun && !interactive) {
    throw new ValidationError(
      `Deactivating ${ids.length} users needs --yes when there is no terminal to confirm on`,
    );
  }
  const session = await openSession(options.globals, ctx);
  if (!options.yes && !options.dryRun) {
    let named = "";
    if (ids.length <= 10) {
      const emails = await Promise.all(
        ids.map(async ({ id }) => {
          try {
            return printable((await session.users.get(parseUserId(id))).email);
          } catch {
            return id;
          }
        }),
      );
      named = ` (${emails.join(", ")})`;
    }
    const answer = await ctx.io.readLine(
      `Deactivate ${ids.length} users${named}? This revokes all their sessions and API keys and cannot be ` +
        "undone with phyware. [y/N] ",
    );
    if (answer === null) await ctx.io.stderr.write("\n");
    if (!isYes(answer)) throw new CancelledError(`Cancelled: no user was deactivated`);
  }
  const out = bulkWriter(ctx, options.globals.output, BULK_DEACTIVATE_FIELDS);
  const counts = { deactivated: 0, already_inactive: 0, failed: 0 };
  let firstFailure: PhywareError | undefined;
  const deactivate = async ({ line, id }: { line: number; id: string }): Promise<BulkResult> => {
    const result: BulkResult = { line, id, email: null, status: null, result: "failed", error: null };
    try {
      const user = await session.users.get(parseUserId(id));
      if (user.status === "inactive") {
        return { ...result, email: user.email, status: user.status, result: "already_inactive" };
      }
      if (options.dryRun) {
        return { ...result, email: user.email, status: user.status, result: "would_deactivate" };
      }
      const done = await session.users.deactivate(user.id, crypto.randomUUID());
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
  for await (const result of inOrder(ids, 4, deactivate)) {
    if (result.result === "deactivated") counts.deactivated++;
    else if (result.result === "already_inactive") counts.already_inactive++;
    else if (result.result === "failed") counts.failed++;
    await out.row(result);
  }
  await out.end();
  const summary =
    `${counts.deactivated} deactivated, ${counts.already_inactive} already inactive, ${counts.failed} failed`;
  if (firstFailure !== undefined) throw new BulkError(summary, firstFailure.exitCode, firstFailure.code);
  await ctx.io.stderr.write(options.dryRun ? `Dry run: nothing was changed\n` : `${summary}\n`);
}
