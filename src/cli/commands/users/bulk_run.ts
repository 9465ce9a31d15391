/**
 * What bulk invite and bulk deactivate share: their pacing flags, the paced requests (./bulk_pacer.ts),
 * the progress line (src/output/progress.ts) and the loop that runs rows in order.
 */
import type { Context } from "../../../context.ts";
import { quoted, ValidationError } from "../../../errors.ts";
import { parseDuration } from "../../../session/config.ts";
import { createProgress, type Progress } from "../../../output/progress.ts";
import { inOrder } from "./bulk_output.ts";
import { Pacer } from "./bulk_pacer.ts";
import { CONCURRENCY_FLAG } from "./flags.ts";

/** --concurrency when not given, as its declaration says; and the largest. */
const DEFAULT_CONCURRENCY = Number(CONCURRENCY_FLAG.default);
const MAX_CONCURRENCY = 16;

/** Checks --concurrency (whatever the number of rows): an integer from 1 to 16, 4 when not given. */
export function parseConcurrency(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_CONCURRENCY;
  const n = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_CONCURRENCY)) {
    throw new ValidationError(`Invalid --concurrency ${quoted(raw)}: expected 1 to ${MAX_CONCURRENCY}`);
  }
  return n;
}

/** Checks --max-wait: a duration (30s, 2m), or undefined for no limit (wait as long as the server says). */
export function parseMaxWait(raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : parseDuration(raw, "--max-wait");
}

/** "1m 30s", "45 s": a wait or an ETA, rounded up to the second. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

/** How one bulk run paces and shows itself. */
export interface BulkRunOptions {
  concurrency: number;
  maxWaitMs: number | undefined;
  /** Rows in all, for "N of M" and the ETA. */
  total: number;
  /** Verb of the progress line ("Inviting"). */
  doing: string;
}

/** One bulk run: the context its session must use, and the loop. Dispose it to end the progress line. */
export interface BulkRun extends AsyncDisposable {
  /** The command's context, its fetch read by the pacer and its output through the progress line. */
  ctx: Context;
  /** Runs one request of a row as the limits allow, retrying 429s (see Pacer.run). */
  paced<T>(task: () => Promise<T>, started: number): Promise<T>;
  /**
   * Runs `work` on each row, at most --concurrency at once (fewer after a 429), and hands the results to
   * `done` in input order; `failed` says whether a result counts as failed in the progress line.
   */
  each<Row, R>(
    rows: AsyncIterable<Row> | Iterable<Row>,
    work: (row: Row, started: number) => Promise<R>,
    done: (result: R) => Promise<void>,
    failed: (result: R) => boolean,
  ): Promise<void>;
}

/**
 * Starts a bulk run. On a terminal (stdout and stderr), a progress line says how far it is, any wait for the
 * server's limits with its time left, and an ETA; otherwise a wait of 5 s or more is one line on stderr.
 */
export function startBulkRun(ctx: Context, options: BulkRunOptions): BulkRun {
  const progress: Progress = createProgress(ctx.io);
  const terminal = progress.enabled;
  let doneCount = 0;
  let failedCount = 0;
  const pacer: Pacer = new Pacer({
    concurrency: options.concurrency,
    maxWaitMs: options.maxWaitMs,
    now: () => ctx.now().getTime(),
    sleep: (ms) => ctx.sleep(ms),
    onPause: (ms) => {
      if (terminal || ms < 5000) return;
      void progress.stderr.write(
        `Rate limited by the server: waiting ${formatSeconds(ms / 1000)} (${doneCount} of ${options.total} ` +
          "done)\n",
      ).catch(() => {});
    },
  });
  const line = () => {
    let text = `${options.doing}: ${doneCount} of ${options.total} done, ${failedCount} failed`;
    const pause = pacer.pauseMs;
    if (pause > 0) text += `; rate limited, resuming in ${formatSeconds(pause / 1000)}`;
    const eta = pacer.etaSeconds(options.total - doneCount);
    if (eta !== undefined && eta >= 1 && doneCount < options.total) {
      text += `; about ${formatSeconds(eta)} left`;
    }
    return text;
  };
  // While waiting, the line counts down on its own.
  const ticker = terminal ? setInterval(() => void progress.show(line()).catch(() => {}), 1000) : undefined;
  const runCtx: Context = {
    ...ctx,
    fetch: pacer.fetch(ctx.fetch),
    io: { ...ctx.io, stdout: progress.stdout, stderr: progress.stderr },
  };
  return {
    ctx: runCtx,
    paced: (task, started) => pacer.run(task, started),
    async each(rows, work, done, failed) {
      if (terminal) await progress.show(line());
      for await (
        const result of inOrder(rows, options.concurrency, (row) => work(row, ctx.now().getTime()))
      ) {
        await done(result);
        doneCount++;
        if (failed(result)) failedCount++;
        if (terminal) await progress.show(line());
      }
    },
    async [Symbol.asyncDispose]() {
      clearInterval(ticker);
      await progress.end();
    },
  };
}

/** Where a bulk run's results go: one at a time, in input order, then the end (./bulk_output.ts). */
export interface ResultSink<R> {
  row(result: R): Promise<void>;
  end(): Promise<void>;
}

/**
 * Runs every row through `work` (BulkRun.each), adds one to `counts[result.result]` for each result (a result
 * not named in `counts` is not counted), writes each to `out` in input order, then ends the output and the
 * run. A `failed` result counts as failed in the progress line.
 */
export async function processRows<Row, R extends { result?: unknown }>(
  run: BulkRun,
  rows: AsyncIterable<Row> | Iterable<Row>,
  work: (row: Row, started: number) => Promise<R>,
  out: ResultSink<R>,
  counts: Record<string, number>,
): Promise<void> {
  await run.each(rows, work, async (result) => {
    const name = String(result.result);
    if (Object.hasOwn(counts, name)) counts[name] = (counts[name] ?? 0) + 1;
    await out.row(result);
  }, (result) => result.result === "failed");
  await out.end();
  await run[Symbol.asyncDispose]();
}
