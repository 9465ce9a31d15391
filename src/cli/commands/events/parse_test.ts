// events list's parse step: what it gives, and each error compared whole (message, class and so exit code,
// code, remediation).
import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { EVENT_ACTIONS } from "../../../wire/mod.ts";
import { parseListEventsOptions } from "./list.ts";
import { EVENT_DETAIL_FIELDS, EVENT_FIELDS } from "./fields.ts";
import { DEFAULT_GLOBALS as globals } from "../../../../tests/support/parse_fixtures.ts";

Deno.test("events list: the defaults, and each flag's value", () => {
  assert.deepEqual(parseListEventsOptions({}), {
    globals,
    sinceMs: undefined,
    filters: { action: undefined, actor: undefined, target: undefined },
    limit: undefined,
    follow: false,
    pollMs: 2000,
    fields: EVENT_FIELDS,
  });
  assert.deepEqual(
    parseListEventsOptions({
      since: "1h",
      action: "user.invited",
      actor: "usr_a",
      target: "usr_b",
      follow: true,
      interval: "500ms",
      output: "ndjson",
      fields: "id,count",
    }),
    {
      globals: { ...globals, output: "ndjson" },
      sinceMs: 3_600_000,
      filters: { action: "user.invited", actor: "usr_a", target: "usr_b" },
      limit: undefined,
      follow: true,
      pollMs: 500,
      fields: ["id", "count"],
    },
  );
  assert.equal(parseListEventsOptions({ limit: "10" }).limit, 10);
  for (const action of EVENT_ACTIONS) assert.equal(parseListEventsOptions({ action }).filters.action, action);
});

Deno.test("events list -o id prints ids: its fields are id alone, and --fields is refused with it", () => {
  assert.deepEqual(parseListEventsOptions({ output: "id" }).fields, ["id"]);
  assert.throws(
    () => parseListEventsOptions({ output: "id", fields: "id" }),
    new ValidationError("Use --fields or --output id, not both", {
      remediation: "--output id prints the ids only: drop --fields, or choose another --output",
    }),
  );
});

Deno.test("events list: an unknown --action names the valid ones", () => {
  assert.throws(
    () => parseListEventsOptions({ action: "user.created" }),
    new ValidationError('Invalid --action "user.created"', {
      remediation: `Valid actions: ${EVENT_ACTIONS.join(", ")}`,
    }),
  );
  assert.throws(
    () => parseListEventsOptions({ action: "USER.INVITED" }),
    new ValidationError('Invalid --action "USER.INVITED"', {
      remediation: `Valid actions: ${EVENT_ACTIONS.join(", ")}`,
    }),
  );
});

Deno.test("events list --follow refuses -o json, which never ends, and --limit, which never stops it", () => {
  assert.throws(
    () => parseListEventsOptions({ follow: true, output: "json" }),
    new ValidationError('Invalid --output "json" with --follow: a JSON array never ends', {
      remediation: "Use -o ndjson with --follow: one JSON object a line",
    }),
  );
  assert.throws(
    () => parseListEventsOptions({ follow: true, limit: "5" }),
    new ValidationError("Invalid --limit with --follow: follow never stops"),
  );
  // Without --follow both are fine.
  assert.equal(parseListEventsOptions({ output: "json", limit: "5" }).limit, 5);
});

Deno.test("events list: a bad --since, --limit, --interval, --fields or --timeout", () => {
  assert.throws(
    () => parseListEventsOptions({ since: "yesterday" }),
    new ValidationError(
      'Invalid --since "yesterday": expected a whole number of minutes, hours, days or weeks, such as 30m, 1h, 90d or 2w',
    ),
  );
  assert.throws(
    () => parseListEventsOptions({ since: "5000w" }),
    new ValidationError('Invalid --since "5000w": must be at most 3650d'),
  );
  assert.throws(
    () => parseListEventsOptions({ limit: "1e3" }),
    new ValidationError('Invalid --limit "1e3": expected a whole number of at least 1'),
  );
  assert.throws(
    () => parseListEventsOptions({ interval: "99ms" }),
    new ValidationError('Invalid --interval "99ms": must be at least 100ms'),
  );
  assert.equal(parseListEventsOptions({ interval: "100ms" }).pollMs, 100);
  assert.throws(
    () => parseListEventsOptions({ interval: "often" }),
    new ValidationError('Invalid --interval "often": expected a duration such as 30s, 500ms or 2m'),
  );
  assert.throws(
    () => parseListEventsOptions({ fields: "time,user" }),
    new ValidationError('Invalid --fields "time,user": unknown field "user"', {
      remediation: `Valid fields: ${EVENT_DETAIL_FIELDS.join(", ")}`,
    }),
  );
  assert.throws(
    () => parseListEventsOptions({ timeout: "soon" }),
    new ValidationError('Invalid --timeout "soon": expected a duration such as 30s, 500ms or 2m'),
  );
});
