/** Following a listing's pages by their cursor, as every list endpoint of the API pages. */
import { ConnectionError } from "../errors.ts";

/** One page of a listing as the API returns it. */
export interface CursorPage<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * Yields every page's records, fetching each with `page(cursor)` and following `next_cursor` until it is null.
 * A cursor the server gives twice is an "Unexpected response" error naming `baseUrl` (else it loops forever).
 */
export async function* cursorPages<T>(
  page: (cursor: string | undefined) => Promise<CursorPage<T>>,
  baseUrl: string,
): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  do {
    const next = await page(cursor);
    yield next.data;
    cursor = next.next_cursor ?? undefined;
    if (cursor !== undefined) {
      if (seen.has(cursor)) {
        throw new ConnectionError(`Unexpected response from ${baseUrl}: the cursor repeats`);
      }
      seen.add(cursor);
    }
  } while (cursor !== undefined);
}
