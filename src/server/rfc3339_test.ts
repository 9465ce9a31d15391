import assert from "node:assert/strict";
import { parseRfc3339 } from "./rfc3339.ts";

Deno.test("parseRfc3339 takes times with a zone and refuses days and times that do not exist", () => {
  assert.equal(parseRfc3339("2030-01-31T00:00:00Z")?.toISOString(), "2030-01-31T00:00:00.000Z");
  assert.equal(parseRfc3339("2030-01-31T01:30+01:00")?.toISOString(), "2030-01-31T00:30:00.000Z");
  assert.equal(parseRfc3339("2028-02-29T12:00:00.123456Z")?.toISOString(), "2028-02-29T12:00:00.123Z");
  for (
    const bad of [
      "2030-02-31T00:00:00Z",
      "2030-02-29T00:00:00Z",
      "2030-13-01T00:00:00Z",
      "2030-01-01T24:00:00Z",
      "2030-01-01T00:00:00",
      "2030-01-01",
      "tomorrow",
    ]
  ) assert.equal(parseRfc3339(bad), undefined, bad);
});
