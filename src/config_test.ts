import assert from "node:assert/strict";
import { DEFAULT_URL, parseDotenv, parseDuration, parseServiceUrl, resolveConnection } from "./config.ts";
import { ValidationError } from "./errors.ts";

Deno.test("resolveConnection prefers flag, then environment, then .env, then the default", async (t) => {
  const cases: Array<[string, string | undefined, string | undefined, string | undefined, string]> = [
    ["flag wins over everything", "http://flag:1", "http://env:1", "http://dotenv:1", "http://flag:1"],
    ["environment wins over .env", undefined, "http://env:1", "http://dotenv:1", "http://env:1"],
    [".env fills an unset variable", undefined, undefined, "http://dotenv:1", "http://dotenv:1"],
    [
      "an empty variable is set: .env does not override it, the default applies",
      undefined,
      "",
      "http://dotenv:1",
      DEFAULT_URL,
    ],
    ["default when nothing is set", undefined, undefined, undefined, DEFAULT_URL],
  ];
  for (const [name, flag, env, dotenv, expected] of cases) {
    await t.step(name, () => {
      const conn = resolveConnection(
        { url: flag },
        { PHYCLOUD_URL: env },
        dotenv === undefined ? {} : { PHYCLOUD_URL: dotenv },
      );
      assert.equal(conn.url, expected);
    });
  }
});

Deno.test("resolveConnection records where the API key came from", () => {
  assert.equal(
    resolveConnection({}, { PHYCLOUD_API_KEY: "k1" }, { PHYCLOUD_API_KEY: "k2" }).apiKeySource,
    "env",
  );
  assert.equal(resolveConnection({}, {}, { PHYCLOUD_API_KEY: "k2" }).apiKey, "k2");
  assert.equal(resolveConnection({}, {}, {}).apiKey, undefined);
  assert.equal(resolveConnection({ apiKey: "k0" }, { PHYCLOUD_API_KEY: "k1" }, {}).apiKeySource, "flag");
  assert.equal(resolveConnection({ apiKey: "" }, { PHYCLOUD_API_KEY: "k1" }, {}).apiKey, undefined);
  assert.equal(resolveConnection({}, { PHYCLOUD_API_KEY: "" }, { PHYCLOUD_API_KEY: "k2" }).apiKey, undefined);
});

Deno.test("parseServiceUrl strips trailing slashes and rejects what is not a service URL", async (t) => {
  assert.equal(parseServiceUrl("http://localhost:8000/"), "http://localhost:8000");
  assert.equal(parseServiceUrl("https://api.example.com/phycloud/"), "https://api.example.com/phycloud");
  for (const bad of ["localhost:8000", "ftp://x", "not a url", "http://u:p@host", "http://h/?a=1", ""]) {
    await t.step(`rejects "${bad}"`, () => {
      assert.throws(() => parseServiceUrl(bad), ValidationError);
    });
  }
});

Deno.test("parseDotenv reads quotes, comments and export prefixes", async () => {
  assert.deepEqual(await parseDotenv('# comment\nPHYCLOUD_URL="http://x:1"\nexport PHYCLOUD_API_KEY=abc\n'), {
    PHYCLOUD_URL: "http://x:1",
    PHYCLOUD_API_KEY: "abc",
  });
});

Deno.test("parseDuration accepts seconds, milliseconds and minutes", () => {
  assert.equal(parseDuration("30", "--timeout"), 30_000);
  assert.equal(parseDuration("1.5s", "--timeout"), 1500);
  assert.equal(parseDuration("250ms", "--timeout"), 250);
  assert.equal(parseDuration("2m", "--timeout"), 120_000);
  assert.throws(() => parseDuration("soon", "--timeout"), /Invalid --timeout "soon"/);
  assert.throws(() => parseDuration("0", "--timeout"), ValidationError);
  assert.throws(() => parseDuration("0.1ms", "--timeout"), /must be at least 1ms/);
  assert.throws(() => parseDuration("36000m", "--timeout"), /must be at most 24h/);
  assert.equal(parseDuration("1440m", "--timeout"), 86_400_000);
});
