import assert from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import { OUTPUT_FORMATS } from "../output/format.ts";
import { parseGlobalOptions } from "./options.ts";
import { DEFAULT_GLOBALS } from "../../tests/support/parse_fixtures.ts";

Deno.test("no global flag: nothing given, table output, 30 s timeout, quiet", () => {
  assert.deepEqual(parseGlobalOptions({}), DEFAULT_GLOBALS);
});

Deno.test("every global flag given is kept as given; the connection's values are checked later", () => {
  assert.deepEqual(
    parseGlobalOptions({
      url: "https://phycloud.example/",
      apiKey: "phy_abc",
      apiKeyFile: "-",
      profile: "staging",
      output: "json",
      timeout: "5s",
      verbose: true,
      debug: true,
    }),
    {
      url: "https://phycloud.example/",
      apiKey: "phy_abc",
      apiKeyFile: "-",
      profile: "staging",
      output: "json",
      timeoutMs: 5000,
      verbose: true,
      debug: true,
    },
  );
  // The URL and the profile name are checked by the credential chain (src/session/credentials.ts), which knows
  // where each value came from: here even a bad one passes through.
  assert.equal(parseGlobalOptions({ url: "not a url" }).url, "not a url");
  assert.equal(parseGlobalOptions({ profile: "a b" }).profile, "a b");
});

Deno.test("--output keeps each format", () => {
  for (const output of OUTPUT_FORMATS) assert.equal(parseGlobalOptions({ output }).output, output);
});

Deno.test("--timeout reads milliseconds, seconds (the unit when none is given) and minutes", () => {
  const cases: [string, number][] = [
    ["30s", 30_000],
    ["500ms", 500],
    ["2m", 120_000],
    ["1.5s", 1500],
    ["45", 45_000],
    [" 10 s ", 10_000],
    ["1ms", 1],
    ["1440m", 86_400_000],
  ];
  for (const [timeout, ms] of cases) assert.equal(parseGlobalOptions({ timeout }).timeoutMs, ms, timeout);
});

Deno.test("a bad --timeout is a validation error (exit 4) naming the flag and the value", () => {
  const cases: [string, string][] = [
    ["soon", 'Invalid --timeout "soon": expected a duration such as 30s, 500ms or 2m'],
    ["", 'Invalid --timeout "": expected a duration such as 30s, 500ms or 2m'],
    ["-5s", 'Invalid --timeout "-5s": expected a duration such as 30s, 500ms or 2m'],
    ["1h", 'Invalid --timeout "1h": expected a duration such as 30s, 500ms or 2m'],
    ["5 sec", 'Invalid --timeout "5 sec": expected a duration such as 30s, 500ms or 2m'],
    ["0s", 'Invalid --timeout "0s": must be at least 1ms'],
    ["0.4ms", 'Invalid --timeout "0.4ms": must be at least 1ms'],
    ["1441m", 'Invalid --timeout "1441m": must be at most 24h (1440m)'],
    ["86400001ms", 'Invalid --timeout "86400001ms": must be at most 24h (1440m)'],
  ];
  // The expected error's own fields are compared too: its class's exit code (4) and code (VALIDATION_ERROR).
  for (const [timeout, message] of cases) {
    assert.throws(() => parseGlobalOptions({ timeout }), new ValidationError(message), timeout);
  }
});

Deno.test("a control character in a bad --timeout is escaped in the message", () => {
  assert.throws(
    () => parseGlobalOptions({ timeout: "5\u001b[31ms" }),
    new ValidationError('Invalid --timeout "5\\u001b[31ms": expected a duration such as 30s, 500ms or 2m'),
  );
});
