import assert from "node:assert/strict";
import { parseLimit, upToLimit } from "./limit_flag.ts";

Deno.test("parseLimit: absent is everything, a whole number of at least 1 is itself", () => {
  assert.equal(parseLimit(undefined), undefined);
  assert.equal(parseLimit("1"), 1);
  assert.equal(parseLimit("9007199254740991"), Number.MAX_SAFE_INTEGER);
});

Deno.test("parseLimit: anything else is one error naming the flag and the value", () => {
  for (const raw of ["0", "-1", "1.5", "", " 3", "ten", "1e3"]) {
    assert.throws(() => parseLimit(raw), {
      message: `Invalid --limit ${JSON.stringify(raw)}: expected a whole number of at least 1`,
    }, raw);
  }
  assert.throws(() => parseLimit("9007199254740992"), {
    message: 'Invalid --limit "9007199254740992": too large, at most 9007199254740991 (leave it out for all)',
  });
});

Deno.test("upToLimit: pages cut at the limit, and no page asked for after it", async () => {
  let asked = 0;
  async function* pages() {
    for (const page of [[1, 2, 3], [4, 5, 6], [7, 8, 9]]) {
      asked++;
      yield page;
    }
  }
  const seen: number[][] = [];
  for await (const page of upToLimit(pages(), 4)) seen.push([...page]);
  assert.deepEqual([seen, asked], [[[1, 2, 3], [4]], 2]);
  const all: number[][] = [];
  for await (const page of upToLimit(pages(), undefined)) all.push([...page]);
  assert.deepEqual(all, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
});
