import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { parseTimeSpan } from "./time_span.ts";

Deno.test("parseTimeSpan reads minutes, hours, days and weeks, and names the flag when it cannot", () => {
  assert.equal(parseTimeSpan("30m", "--since"), 30 * 60_000);
  assert.equal(parseTimeSpan("1h", "--since"), 3_600_000);
  assert.equal(parseTimeSpan("90d", "--expires-in"), 90 * 86_400_000);
  assert.equal(parseTimeSpan("2w", "--since"), 14 * 86_400_000);
  for (
    const [raw, message] of [
      [
        "90",
        'Invalid --expires-in "90": expected a whole number of minutes, hours, days or weeks, such as 30m, 1h, 90d or 2w',
      ],
      [
        "1.5d",
        'Invalid --expires-in "1.5d": expected a whole number of minutes, hours, days or weeks, such as 30m, 1h, 90d or 2w',
      ],
      [
        "0d",
        'Invalid --expires-in "0d": expected a whole number of minutes, hours, days or weeks, such as 30m, 1h, 90d or 2w',
      ],
      ["3651d", 'Invalid --expires-in "3651d": must be at most 3650d'],
    ]
  ) {
    assert.throws(
      () => parseTimeSpan(raw ?? "", "--expires-in"),
      (e) => e instanceof ValidationError && e.message === message,
    );
  }
});
