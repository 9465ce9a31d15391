/**
 * Token buckets kept in PostgreSQL, so that a limit holds for all the instances sharing the database: the
 * same buckets as rate_limit.ts (`perMinute` a minute, bursts of up to that many), each a row updated in one
 * statement that takes a token from every bucket of a request or from none.
 */
import type postgres from "postgres";

import type { BucketCharge, BucketState, ChargeResult } from "./types.ts";

interface Row {
  key: string;
  tokens: number;
  per_minute: number;
  taken: boolean;
}

function stateOf(key: string, tokens: number, perMinute: number): BucketState {
  const perSecond = perMinute / 60;
  return {
    key,
    remaining: Math.max(0, Math.floor(tokens)),
    reset: Math.max(1, Math.ceil((1 - (tokens - Math.floor(tokens))) / perSecond)),
  };
}

function waitOf(tokens: number, perMinute: number): number {
  return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / (perMinute / 60)));
}

/**
 * Takes one token from each bucket, or from none when one of them has less than one (then `wait` says how long
 * until all would have one). The rows are locked in key order, so concurrent charges never deadlock.
 */
export async function chargeBuckets(
  sql: postgres.Sql,
  charges: readonly BucketCharge[],
  nowMs: number,
  take = true,
): Promise<ChargeResult> {
  if (charges.length === 0) return { wait: 0, states: [] };
  const sorted = [...charges].sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const keys = sorted.map((c) => c.key);
  const limits = sorted.map((c) => c.perMinute);
  // A bucket seen for the first time is full; the insert is separate because a statement's own inserts are
  // not visible to the rest of it.
  await sql`INSERT INTO rate_buckets (key, tokens, at_ms)
    SELECT k, l, ${nowMs} FROM unnest(${keys}::text[], ${limits}::float8[]) AS t(k, l)
    ON CONFLICT (key) DO NOTHING`;
  const rows = await sql<Row[]>`
    WITH want AS (SELECT * FROM unnest(${keys}::text[], ${limits}::float8[]) AS t(key, per_minute)),
    cur AS (
      SELECT b.key, w.per_minute,
        LEAST(w.per_minute, b.tokens + GREATEST(0, ${nowMs} - b.at_ms) * w.per_minute / 60000.0) AS tokens
      FROM rate_buckets b JOIN want w ON w.key = b.key
      ORDER BY b.key
      FOR UPDATE OF b
    ),
    ok AS (SELECT ${take}::boolean AND bool_and(tokens >= 1) AS ok FROM cur),
    -- A charge whose clock reading is older than the bucket's (it waited for the row lock) moves no time
    -- back: the bucket's time only grows, so no refill is counted twice.
    upd AS (
      UPDATE rate_buckets b SET tokens = c.tokens - 1, at_ms = GREATEST(b.at_ms, ${nowMs})
      FROM cur c, ok WHERE ok.ok AND b.key = c.key
      RETURNING b.key
    )
    SELECT c.key, c.tokens, c.per_minute, (SELECT ok FROM ok) AS taken FROM cur c`;
  const taken = rows[0]?.taken === true;
  const wait = Math.max(0, ...rows.map((r) => waitOf(r.tokens, r.per_minute)));
  const states = rows.map((r) => stateOf(r.key, taken ? r.tokens - 1 : r.tokens, r.per_minute));
  return { wait: take && !taken ? Math.max(1, wait) : take ? 0 : wait, states };
}

/** Gives back one token to each bucket (a request refused by another limit after it was charged). */
export async function refundBuckets(
  sql: postgres.Sql,
  charges: readonly BucketCharge[],
): Promise<void> {
  for (const c of charges) {
    await sql`UPDATE rate_buckets SET tokens = LEAST(${c.perMinute}::float8, tokens + 1) WHERE key = ${c.key}`;
  }
}

/** How long a bucket is kept untouched: ten times the minute in which any bucket refills completely. */
export const BUCKET_SWEEP_AFTER_MS = 10 * 60_000;

/** Deletes buckets untouched for longer than `olderThanMs`: a full bucket carries no information. */
export async function sweepBuckets(
  sql: postgres.Sql | postgres.TransactionSql,
  nowMs: number,
  olderThanMs: number,
): Promise<void> {
  await sql`DELETE FROM rate_buckets WHERE at_ms < ${nowMs - olderThanMs}`;
}
