/** A service's start on a store, the same on both engines: what `Store.startUp` does. */
import { DatabaseBusyError } from "./lock_wait.ts";
import { opening } from "./open_error.ts";
import type { StartUp, Store } from "./types.ts";

/**
 * Reads (creating it the first time) the cursor signing key, then purges, a write transaction even with
 * nothing to purge; a purge that finds another process holding the lock (DatabaseBusyError, SQLite) is tried
 * again until `input.lockWaitMs` have passed. Any failure rejects with DatabaseOpenError naming `location`.
 */
export async function startUp(
  store: Pick<Store, "setting" | "purgeExpired">,
  location: string,
  input: StartUp,
): Promise<{ cursorSecret: string }> {
  const cursorSecret = await opening(location, () => store.setting("cursor_secret", input.cursorSecret));
  const waitingSince = performance.now();
  await opening(location, async () => {
    for (;;) {
      try {
        return await store.purgeExpired(input.now, input.idempotencyBefore, input.eventsBefore);
      } catch (error) {
        if (!(error instanceof DatabaseBusyError) || performance.now() - waitingSince >= input.lockWaitMs) {
          throw error;
        }
      }
    }
  });
  return { cursorSecret };
}
