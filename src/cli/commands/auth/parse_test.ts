// The auth verbs' parse steps: what they give, and each error compared whole (message, class and so exit code,
// code, remediation).
import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { parseLoginOptions, parseProfileOption } from "./login.ts";
import { parseLogoutOptions } from "./logout.ts";
import { parseStatusOptions } from "./status.ts";
import { parseSwitchName } from "./switch.ts";
import { BAD_TIMEOUT as badTimeout } from "../../../../tests/support/parse_fixtures.ts";

const badName = (origin: string, shown: string) =>
  new ValidationError(`Invalid ${origin} ${shown}: expected letters, digits, ".", "_" or "-"`);

Deno.test("auth switch NAME: a profile name of letters, digits, '.', '_' or '-', starting with a letter or digit", () => {
  for (const name of ["prod", "a", "Acme-EU_2.staging", "0", "x".repeat(64)]) {
    assert.equal(parseSwitchName(name), name);
  }
  const cases: [string, string][] = [
    ["", '""'],
    ["-prod", '"-prod"'],
    [".hidden", '".hidden"'],
    ["a b", '"a b"'],
    ["a/b", '"a/b"'],
    ["caf\u00e9", '"caf\u00e9"'],
    ["x".repeat(65), `"${"x".repeat(65)}"`],
    ["a\u001b", '"a\\u001b"'],
  ];
  for (const [raw, shown] of cases) assert.throws(() => parseSwitchName(raw), badName("NAME", shown), shown);
  // The echo is cut at 80 characters.
  assert.throws(() => parseSwitchName("y".repeat(100)), badName("NAME", `"${"y".repeat(80)}"`));
});

Deno.test("auth login's profile: --profile, else PHYCLOUD_PROFILE, else default, each checked naming its origin", () => {
  assert.equal(parseProfileOption(undefined, { env: {} }), "default");
  assert.equal(parseProfileOption(undefined, { env: { PHYCLOUD_PROFILE: "" } }), "default");
  assert.equal(parseProfileOption(undefined, { env: { PHYCLOUD_PROFILE: "staging" } }), "staging");
  assert.equal(parseProfileOption("prod", { env: { PHYCLOUD_PROFILE: "staging" } }), "prod");
  assert.throws(() => parseProfileOption("a b", { env: {} }), badName("--profile", '"a b"'));
  assert.throws(
    () => parseProfileOption(undefined, { env: { PHYCLOUD_PROFILE: "a b" } }),
    badName("PHYCLOUD_PROFILE", '"a b"'),
  );
  // A good flag is not overruled by a bad environment variable.
  assert.equal(parseProfileOption("prod", { env: { PHYCLOUD_PROFILE: "a b" } }), "prod");
});

Deno.test("auth login: the defaults, and each flag's value", () => {
  assert.deepEqual(parseLoginOptions({}, { env: {} }), {
    profile: "default",
    url: undefined,
    timeoutMs: 30_000,
    verbose: false,
    debug: false,
  });
  assert.deepEqual(
    parseLoginOptions(
      { profile: "prod", url: "https://phy.example", timeout: "2m", verbose: true, debug: true },
      { env: { PHYCLOUD_PROFILE: "staging" } },
    ),
    { profile: "prod", url: "https://phy.example", timeoutMs: 120_000, verbose: true, debug: true },
  );
});

Deno.test("auth login: a bad --profile or --timeout is a validation error", () => {
  assert.throws(() => parseLoginOptions({ profile: "" }, { env: {} }), badName("--profile", '""'));
  assert.throws(() => parseLoginOptions({ timeout: "soon" }, { env: {} }), badTimeout);
  assert.throws(
    () => parseLoginOptions({ timeout: "25h" }, { env: {} }),
    new ValidationError('Invalid --timeout "25h": expected a duration such as 30s, 500ms or 2m'),
  );
});

Deno.test("auth status takes the global options; auth logout its --profile, checked when it runs", () => {
  assert.equal(parseStatusOptions({ output: "yaml" }).globals.output, "yaml");
  assert.equal(parseStatusOptions({}).globals.timeoutMs, 30_000);
  assert.throws(() => parseStatusOptions({ timeout: "soon" }), badTimeout);
  assert.equal(parseLogoutOptions({}), undefined);
  assert.equal(parseLogoutOptions({ profile: "prod" }), "prod");
});
