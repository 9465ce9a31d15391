import assert from "node:assert/strict";
import { formatSeconds, parseConcurrency, parseMaxWait } from "./bulk_run.ts";

Deno.test("parseConcurrency: 1 to 16, 4 when not given; anything else names the value", () => {
  assert.equal(parseConcurrency(undefined), 4);
  assert.equal(parseConcurrency("16"), 16);
  for (const bad of ["0", "17", "1.5", "-1", "", "4x"]) {
    assert.throws(() => parseConcurrency(bad), {
      message: `Invalid --concurrency "${bad}": expected 1 to 16`,
    });
  }
});

Deno.test("parseMaxWait: a duration, or no limit when not given", () => {
  assert.equal(parseMaxWait(undefined), undefined);
  assert.equal(parseMaxWait("90s"), 90_000);
  assert.equal(parseMaxWait("2m"), 120_000);
  assert.throws(() => parseMaxWait("soon"), /^ValidationError: Invalid --max-wait "soon"/);
});

Deno.test("formatSeconds rounds up and says minutes past a minute", () => {
  assert.deepEqual([0.2, 1, 59.5, 60, 78, 3600].map(formatSeconds), [
    "1 s",
    "1 s",
    "1 min",
    "1 min",
    "1 min 18 s",
    "60 min",
  ]);
});
