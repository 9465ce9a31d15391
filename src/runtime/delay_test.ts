import assert from "node:assert/strict";
import { delay } from "./delay.ts";

Deno.test("delay resolves after the time, or at once when its signal aborts", async () => {
  const started = performance.now();
  await delay(20);
  assert.ok(performance.now() - started >= 15);

  const controller = new AbortController();
  const waiting = delay(60_000, controller.signal);
  controller.abort();
  await waiting;
  await delay(60_000, controller.signal); // already aborted: no timer is left behind
});
