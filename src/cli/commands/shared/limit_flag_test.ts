import assert from "node:assert/strict";
import { parseLimit } from "./limit_flag.ts";

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
