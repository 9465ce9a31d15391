/** `--limit` of the list verbs (users, api-keys, events): a whole number of at least 1, or all when absent. */
import { quotedInput, ValidationError } from "../../../errors.ts";

/** `--limit`, declared once; each list verb derives its own help, naming what it lists. */
export const LIMIT_FLAG = { long: "--limit", value: "n", help: "stop after this many records" } as const;

/**
 * Parses `--limit`: undefined when absent (everything), else a safe whole number of at least 1.
 *
 * @example parseLimit("25") // 25
 */
export function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ValidationError(`Invalid --limit ${quotedInput(raw)}: expected a whole number of at least 1`);
  }
  if (!Number.isSafeInteger(Number(raw))) {
    throw new ValidationError(
      `Invalid --limit ${
        quotedInput(raw)
      }: too large, at most ${Number.MAX_SAFE_INTEGER} (leave it out for all)`,
    );
  }
  return Number(raw);
}

/**
 * The pages of a listing cut so that at most `limit` records come through (all when undefined); asks for no
 * page after the limit is reached.
 */
export async function* upToLimit<T>(
  pages: AsyncIterable<readonly T[]>,
  limit: number | undefined,
): AsyncGenerator<readonly T[]> {
  let remaining = limit ?? Infinity;
  for await (const page of pages) {
    const rows = page.length > remaining ? page.slice(0, remaining) : page;
    remaining -= rows.length;
    yield rows;
    if (remaining <= 0) return;
  }
}
