import assert from "node:assert/strict";
import { Option } from "@commander-js/extra-typings";
import { flagHelp, flagKey, flags, type FlagSpec, without } from "./spec.ts";
import { API_KEY_FLAG, DEBUG_FLAG, OUTPUT_FLAG, TIMEOUT_FLAG, URL_FLAG } from "../session/flags.ts";

Deno.test("flagKey is the camel case of the long name, without its dashes", () => {
  const cases: [FlagSpec["long"], string][] = [
    ["--url", "url"],
    ["--api-key", "apiKey"],
    ["--api-key-file", "apiKeyFile"],
    ["--dry-run", "dryRun"],
    ["--tenant-invite-rate-limit", "tenantInviteRateLimit"],
    ["--x", "x"],
  ];
  for (const [long, key] of cases) assert.equal(flagKey({ long, help: "" }), key, long);
});

Deno.test("flagKey is the key commander stores the value under", () => {
  for (
    const long of ["--url", "--api-key-file", "--max-wait", "--email-column", "--auth-failure-limit"] as const
  ) {
    assert.equal(flagKey({ long, value: "v", help: "" }), new Option(`${long} <v>`).attributeName(), long);
  }
});

Deno.test("flagHelp is the help alone when the flag has no environment variable nor parse-step default", () => {
  assert.equal(
    flagHelp({ long: "--yes", help: "do not ask for confirmation" }),
    "do not ask for confirmation",
  );
  // A default commander applies itself is shown by commander, not here.
  assert.equal(
    flagHelp({ long: "--port", value: "port", default: "8000", help: "port to listen on" }),
    "port to listen on",
  );
});

Deno.test("flagHelp adds the environment variable in brackets, for a switch too", () => {
  assert.equal(flagHelp(API_KEY_FLAG), "API key with the admin:users scope [env: PHYCLOUD_API_KEY]");
  assert.equal(
    flagHelp(DEBUG_FLAG),
    "print each request and response on stderr: headers and bodies up to 4 KiB, secrets redacted " +
      "[env: PHYWARE_DEBUG]",
  );
});

Deno.test("flagHelp adds a default the parse step applies, quoted, after the environment variable", () => {
  assert.equal(
    flagHelp(URL_FLAG),
    'PhyCloud service URL [env: PHYCLOUD_URL] (default: "http://localhost:8000")',
  );
  assert.equal(flagHelp(TIMEOUT_FLAG), 'time limit of each request, such as 30s or 500ms (default: "30s")');
  assert.equal(flagHelp(OUTPUT_FLAG), 'output format (default: "table")');
  assert.equal(
    flagHelp({ long: "--sep", value: "s", default: 'a"b', defaultBy: "parse", help: "separator" }),
    'separator (default: "a\\"b")',
  );
  // A parse-step default of "" is still a default.
  assert.equal(
    flagHelp({ long: "--sep", value: "s", default: "", defaultBy: "parse", help: "x" }),
    'x (default: "")',
  );
});

Deno.test("without drops the named fields and keeps every other, leaving the declaration alone", () => {
  const noDefault = without(URL_FLAG, "default", "defaultBy");
  assert.deepEqual(noDefault, {
    long: "--url",
    value: "url",
    env: "PHYCLOUD_URL",
    help: "PhyCloud service URL",
  });
  assert.equal(flagHelp(noDefault), "PhyCloud service URL [env: PHYCLOUD_URL]");
  // The declaration it came from is unchanged.
  assert.equal(URL_FLAG.default, "http://localhost:8000");
  assert.equal(URL_FLAG.defaultBy, "parse");
  assert.equal(
    flagHelp(URL_FLAG),
    'PhyCloud service URL [env: PHYCLOUD_URL] (default: "http://localhost:8000")',
  );
});

Deno.test("without only defaultBy leaves a default commander applies; without nothing is a copy", () => {
  const byCommander = without(OUTPUT_FLAG, "defaultBy");
  assert.deepEqual(byCommander, {
    long: "--output",
    short: "-o",
    value: "format",
    choices: OUTPUT_FLAG.choices,
    default: "table",
    help: "output format",
  });
  assert.equal(flagHelp(byCommander), "output format");
  const copy = without(TIMEOUT_FLAG);
  assert.deepEqual(copy, TIMEOUT_FLAG);
  assert.notEqual(copy, TIMEOUT_FLAG);
});

Deno.test("flags lists the declarations it is given, in order, as they are", () => {
  const list = flags(URL_FLAG, API_KEY_FLAG, DEBUG_FLAG);
  assert.equal(list.length, 3);
  assert.equal(list[0], URL_FLAG);
  assert.equal(list[1], API_KEY_FLAG);
  assert.equal(list[2], DEBUG_FLAG);
  assert.deepEqual(flags(), []);
});
