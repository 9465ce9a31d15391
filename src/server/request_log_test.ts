import assert from "node:assert/strict";
import { RequestLog } from "./request_log.ts";

function recorder() {
  const writes: string[] = [];
  return { writes, write: (text: string) => (writes.push(text), Promise.resolve()) };
}

Deno.test("RequestLog holds lines until released, then writes them in one batch", async () => {
  const out = recorder();
  const log = new RequestLog(out.write, { delayMs: 1 });
  log.line("a");
  log.line("b");
  await log.flush();
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(out.writes, [], "nothing is written while held");
  log.release();
  log.line("c");
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(out.writes, ["a\nb\nc\n"]);
});

Deno.test("RequestLog batches lines logged within the delay into one write", async () => {
  const out = recorder();
  const log = new RequestLog(out.write, { delayMs: 10_000 });
  log.release();
  for (let i = 0; i < 100; i++) log.line(`line ${i}`);
  assert.equal(out.writes.length, 0, "the batch waits for its delay");
  await log.flush();
  assert.equal(out.writes.length, 1);
  assert.equal(out.writes[0]?.split("\n").length, 101);
  log.line("next");
  await log.flush();
  assert.deepEqual(out.writes.slice(1), ["next\n"]);
  await log.flush();
  assert.equal(out.writes.length, 2, "an empty flush writes nothing");
});

Deno.test("RequestLog ignores a failing writer", async () => {
  const log = new RequestLog(() => Promise.reject(new Error("EPIPE")), { delayMs: 10_000 });
  log.release();
  log.line("lost");
  await log.flush();
});
