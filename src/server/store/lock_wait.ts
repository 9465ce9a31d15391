/**
 * Waiting for SQLite's write lock without freezing the server. node:sqlite is synchronous: with a
 * busy_timeout, a write that meets another process's lock sleeps inside SQLite and stops the event loop
 * (every request, /healthz included). The connection runs with busy_timeout 0 instead, and a busy attempt
 * waits here, on a timer, before trying again; past a bound the caller gets DatabaseBusyError (a 503).
 */

/** Waits between attempts, in milliseconds; the last one repeats. */
const BACKOFF_MS = [2, 5, 10, 20, 40, 50];

/** How long a write waits for another process's lock by default before giving up. */
export const DEFAULT_LOCK_WAIT_MS = 1000;

/** Another process held the database's lock for longer than the bound. */
export class DatabaseBusyError extends Error {
  /** Seconds after which a retry is likely to succeed (for Retry-After). */
  readonly retryAfterSeconds: number;
  /** How long the write waited for the lock, in whole milliseconds. */
  readonly waitedMs: number;

  constructor(waitedMs: number) {
    super(`Database is locked by another process (waited ${Math.round(waitedMs)} ms)`);
    this.name = "DatabaseBusyError";
    this.retryAfterSeconds = 1;
    this.waitedMs = Math.round(waitedMs);
  }
}

/**
 * Whether a node:sqlite error is SQLITE_BUSY ("database is locked"), on Deno (message) and Bun (errcode), or
 * a DatabaseBusyError (the wait for the lock ran out).
 */
export function isBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof DatabaseBusyError) return true;
  const errcode = "errcode" in error && typeof error.errcode === "number" ? error.errcode : undefined;
  return (errcode !== undefined && (errcode & 0xff) === 5) || error.message.includes("database is locked");
}

/** Settings of `retryWhileBusy`. */
export interface LockWaitOptions {
  /** Longest total wait, in milliseconds. */
  waitMs: number;
  /** Milliseconds now (performance.now() by default). */
  clock?: () => number;
}

/**
 * Runs `attempt` (synchronous: a whole SQLite transaction or read) until it does not fail with
 * SQLITE_BUSY, waiting on timers in between, so other requests run meanwhile; throws DatabaseBusyError
 * once `waitMs` has passed.
 */
export async function retryWhileBusy<T>(attempt: () => T, options: LockWaitOptions): Promise<T> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  for (let i = 0;; i++) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const waited = clock() - started;
      if (waited >= options.waitMs) throw new DatabaseBusyError(waited);
      const pause = Math.min(BACKOFF_MS[Math.min(i, BACKOFF_MS.length - 1)] ?? 50, options.waitMs - waited);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
