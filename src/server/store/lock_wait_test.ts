import assert from "node:assert/strict";
import { DatabaseBusyError, isBusy, retryWhileBusy } from "./lock_wait.ts";

const busy = () => new Error("database is locked");

Deno.test("isBusy knows SQLITE_BUSY by Deno's message and by Bun's errcode, extended codes included", () => {
  assert.equal(isBusy(busy()), true);
  assert.equal(isBusy(Object.assign(new Error("x"), { errcode: 5 })), true);
  assert.equal(isBusy(Object.assign(new Error("x"), { errcode: 261 })), true); // SQLITE_BUSY_RECOVERY
  assert.equal(isBusy(Object.assign(new Error("database table is locked"), { errcode: 6 })), false);
  assert.equal(isBusy("database is locked"), false);
});

Deno.test("retryWhileBusy retries a busy attempt on timers and returns its result", async () => {
  let attempts = 0;
  const result = await retryWhileBusy(() => {
    if (++attempts < 3) throw busy();
    return "done";
  }, { waitMs: 1000 });
  assert.equal(result, "done");
  assert.equal(attempts, 3);
});

Deno.test("retryWhileBusy gives up with DatabaseBusyError once the bound has passed", async () => {
  let now = 0;
  const error = await retryWhileBusy(() => {
    now += 400;
    throw busy();
  }, { waitMs: 1000, clock: () => now }).catch((e: unknown) => e);
  assert.ok(error instanceof DatabaseBusyError);
  assert.equal(error.retryAfterSeconds, 1);
  assert.equal(now, 1200);
});

Deno.test("retryWhileBusy passes other errors through at once", async () => {
  let attempts = 0;
  await assert.rejects(
    retryWhileBusy(() => {
      attempts++;
      throw new Error("disk I/O error");
    }, { waitMs: 1000 }),
    /disk I\/O error/,
  );
  assert.equal(attempts, 1);
});
