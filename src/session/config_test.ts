import assert from "node:assert/strict";
import { dotenvPath, parseDotenv, parseDuration, parseServiceUrl } from "./config.ts";
import { ValidationError } from "../errors.ts";

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

Deno.test("dotenvPath is what node:path's join gives for the platform's working directories", async () => {
  const path = await import("node:path");
  for (const cwd of ["/home/ann/project", "/", "/tmp/x y"]) {
    assert.equal(dotenvPath(cwd, "linux"), path.posix.join(cwd, ".env"));
    assert.equal(dotenvPath(cwd, "darwin"), path.posix.join(cwd, ".env"));
  }
  for (const cwd of ["C:\\Users\\ann\\project", "C:\\", "\\\\server\\share\\dir"]) {
    assert.equal(dotenvPath(cwd, "win32"), path.win32.join(cwd, ".env"));
  }
});
