import assert from "node:assert/strict";
import { inOrder } from "./bulk_output.ts";

Deno.test("inOrder reads ahead and holds at most `limit` rows and results, yielding them in input order", async () => {
  const limit = 4;
  let pulled = 0;
  let yielded = 0;
  let inFlight = 0;
  let most = 0;
  async function* rows(): AsyncGenerator<number> {
    for (let i = 0; i < 2_000; i++) {
      pulled++;
      most = Math.max(most, pulled - yielded);
      yield i;
    }
  }
  const work = async (i: number): Promise<number> => {
    inFlight++;
    assert.ok(inFlight <= limit, `${inFlight} rows in flight`);
    // Later rows finish first: order must come from inOrder, not from timing.
    await new Promise((resolve) => setTimeout(resolve, i % 3));
    inFlight--;
    return i;
  };
  let expected = 0;
  for await (const result of inOrder(rows(), limit, work)) {
    assert.equal(result, expected++);
    yielded++;
  }
  assert.equal(expected, 2_000);
  assert.ok(most <= limit, `${most} rows held at once`);
});

Deno.test("inOrder surfaces a later row's failure at its turn, never as an unhandled rejection", async () => {
  const failure = new Error("row 2 failed");
  let releaseFirst = () => {};
  const first = new Promise<number>((resolve) => releaseFirst = () => resolve(0));
  const work = (i: number): Promise<number> => {
    if (i === 0) return first;
    if (i === 2) return Promise.reject(failure);
    return Promise.resolve(i);
  };
  const results: number[] = [];
  const run = (async () => {
    for await (const result of inOrder([0, 1, 2, 3], 4, work)) results.push(result);
  })();
  // Row 2 has failed while row 0 is still pending: let the event loop notice an unhandled rejection.
  await new Promise((resolve) => setTimeout(resolve, 20));
  releaseFirst();
  await assert.rejects(run, failure);
  assert.deepEqual(results, [0, 1]);
});
