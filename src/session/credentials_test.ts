import assert from "node:assert/strict";
import { join } from "node:path";
import { testContext } from "../../tests/support/context.ts";
import { DEFAULT_URL } from "./config.ts";
import { type CredentialFlags, isLoopback, isSendableKey, resolveCredentials } from "./credentials.ts";
import { ValidationError } from "../errors.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";

const CWD = "/project";
const CONFIG = "/config";

function resolve(
  flags: CredentialFlags,
  env: Record<string, string | undefined>,
  dotenv: Record<string, string> = {},
  profiles: Record<string, { url: string; api_key: string }> = {},
) {
  const files: Record<string, string> = {
    [join(CONFIG, "config.json")]: JSON.stringify({ profiles }),
  };
  const lines = Object.entries(dotenv).map(([k, v]) => `${k}=${v}`);
  if (lines.length > 0) files[join(CWD, ".env")] = lines.join("\n");
  const { ctx, stderr } = testContext({ env: { PHYCLOUD_CONFIG_DIR: CONFIG, ...env }, cwd: CWD, files });
  return { result: resolveCredentials(flags, ctx), stderr };
}

const PROFILE = { default: { url: "http://profile:1", api_key: "k_profile" } };

Deno.test("the URL: flag, then environment, then .env, then the profile, then the default", async (t) => {
  const cases: Array<
    [string, CredentialFlags, Record<string, string>, Record<string, string>, string, string]
  > = [
    ["flag wins", { url: "http://flag:1" }, { PHYCLOUD_URL: "http://env:1" }, {}, "http://flag:1", "flag"],
    [
      "environment over .env",
      {},
      { PHYCLOUD_URL: "http://env:1" },
      { PHYCLOUD_URL: "http://d:1" },
      "http://env:1",
      "env",
    ],
    [".env over the profile", {}, {}, { PHYCLOUD_URL: "http://localhost:9" }, "http://localhost:9", "dotenv"],
    ["the profile over the default", {}, {}, {}, "http://profile:1", "profile"],
    [
      "an empty variable silences .env",
      {},
      { PHYCLOUD_URL: "" },
      { PHYCLOUD_URL: "http://d:1" },
      "http://profile:1",
      "profile",
    ],
  ];
  for (const [name, flags, env, dotenv, url, source] of cases) {
    await t.step(name, async () => {
      const { url: got } = await resolve(flags, env, dotenv, PROFILE).result;
      assert.deepEqual([got.value, got.source], [url, source]);
    });
  }
  const none = await resolve({}, {}).result;
  assert.deepEqual([none.url.value, none.url.source, none.apiKey], [DEFAULT_URL, "default", undefined]);
});

Deno.test("the key: flag or key file, then environment, then .env, then the profile", async () => {
  const key = async (...args: Parameters<typeof resolve>) => {
    const { apiKey } = await resolve(...args).result;
    return [apiKey?.value, apiKey?.source, apiKey?.origin];
  };
  assert.deepEqual(await key({ apiKey: "k_flag" }, { PHYCLOUD_API_KEY: "k_env" }), [
    "k_flag",
    "flag",
    "--api-key",
  ]);
  assert.deepEqual(await key({}, { PHYCLOUD_API_KEY: "k_env" }, { PHYCLOUD_API_KEY: "k_d" }), [
    "k_env",
    "env",
    "PHYCLOUD_API_KEY",
  ]);
  assert.deepEqual(await key({}, {}, { PHYCLOUD_API_KEY: "k_d" }, PROFILE), [
    "k_d",
    "dotenv",
    "PHYCLOUD_API_KEY in .env",
  ]);
  assert.deepEqual(await key({}, {}, {}, PROFILE), ["k_profile", "profile", 'profile "default"']);
  assert.deepEqual(await key({}, { PHYCLOUD_API_KEY: "" }, { PHYCLOUD_API_KEY: "k_d" }), [
    undefined,
    undefined,
    undefined,
  ]);
});

Deno.test("--profile and PHYCLOUD_PROFILE choose a profile, and a named profile must exist", async () => {
  const profiles = { ...PROFILE, ci: { url: "http://ci:1", api_key: "k_ci" } };
  assert.equal(
    (await resolve({ profile: "ci" }, { PHYCLOUD_PROFILE: "x" }, {}, profiles).result).url.value,
    "http://ci:1",
  );
  assert.equal((await resolve({}, { PHYCLOUD_PROFILE: "ci" }, {}, profiles).result).apiKey?.value, "k_ci");
  await assert.rejects(
    resolve({ profile: "gone" }, {}, {}, profiles).result,
    /No profile "gone" in \/config\/config.json/,
  );
});

Deno.test("a .env URL never receives a key that .env did not provide, unless it is loopback", async () => {
  await assert.rejects(
    resolve({}, { PHYCLOUD_API_KEY: "k_env" }, { PHYCLOUD_URL: "https://evil.example" }).result,
    (error: unknown) =>
      error instanceof ValidationError && error.exitCode === 4 &&
      error.message ===
        "Refusing to send the API key from PHYCLOUD_API_KEY to https://evil.example from PHYCLOUD_URL in .env" &&
      error.remediation === "Pass --url, or put the key in the same .env",
  );
  await assert.rejects(
    resolve({}, {}, { PHYCLOUD_URL: "https://evil.example" }, PROFILE).result,
    ValidationError,
  );
  const same = await resolve({}, {}, { PHYCLOUD_URL: "https://x.example", PHYCLOUD_API_KEY: "k_d" }).result;
  assert.equal(same.apiKey?.value, "k_d");
  const local = await resolve({ apiKey: "k" }, {}, { PHYCLOUD_URL: "http://127.0.0.1:9" }).result;
  assert.equal(local.url.value, "http://127.0.0.1:9");
  for (const url of ["http://localhost:1", "http://[::1]:1", "http://127.1.2.3"]) {
    assert.ok(isLoopback(url), url);
  }
  for (const url of ["http://localhost.example", "http://128.0.0.1", "http://10.0.0.1"]) {
    assert.ok(!isLoopback(url), url);
  }
});

Deno.test("a key file: one trailing newline dropped, a warning when others can read it", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "key");
  await Deno.writeTextFile(path, "k_file\n", { mode: 0o644 });
  await Deno.chmod(path, 0o644);
  const { result, stderr } = resolve({ apiKeyFile: path }, {});
  assert.deepEqual((await result).apiKey, {
    value: "k_file",
    source: "file",
    origin: `--api-key-file "${path}"`,
  });
  assert.equal(
    stderr.text,
    `warning: --api-key-file "${path}" can be read by others (mode 0644) - Run chmod 600 "${path}"\n`,
  );
  await Deno.chmod(path, 0o600);
  const quiet = resolve({}, { PHYCLOUD_API_KEY_FILE: path });
  assert.equal((await quiet.result).apiKey?.origin, `PHYCLOUD_API_KEY_FILE "${path}"`);
  assert.equal(quiet.stderr.text, "");
  await assert.rejects(
    resolve({ apiKeyFile: join(dir.path, "none") }, {}).result,
    /Cannot read --api-key-file/,
  );
  await assert.rejects(resolve({ apiKeyFile: path, apiKey: "k" }, {}).result, /not both/);
  await assert.rejects(resolve({}, { PHYCLOUD_API_KEY_FILE: path, PHYCLOUD_API_KEY: "k" }).result, /Both/);
});

Deno.test("isSendableKey takes 1 to 1,024 printable ASCII characters without spaces", () => {
  for (const good of ["p", "phy_abc-DEF.123", "~".repeat(1024)]) {
    assert.equal(isSendableKey(good), true, good);
  }
  for (const bad of ["", "phy abc", "phy\tabc", "clé", "x".repeat(1025), "a\n"]) {
    assert.equal(isSendableKey(bad), false, JSON.stringify(bad));
  }
});

Deno.test("one URL chain: a bad value's error names where it came from", async (t) => {
  const cases: Array<[string, CredentialFlags, Record<string, string>, Record<string, string>, string]> = [
    ["flag", { url: "foo" }, {}, {}, 'Invalid --url "foo": not an absolute URL'],
    [
      "environment",
      {},
      { PHYCLOUD_URL: "foo" },
      {},
      'Invalid PHYCLOUD_URL "foo": not an absolute URL - Fix PHYCLOUD_URL',
    ],
    [
      ".env",
      {},
      {},
      { PHYCLOUD_URL: "ftp://x" },
      'Invalid URL "ftp://x" from PHYCLOUD_URL in .env: the scheme must be http or https - Fix PHYCLOUD_URL in .env',
    ],
  ];
  for (const [name, flags, env, dotenv, line] of cases) {
    await t.step(name, async () => {
      const error = await resolve(flags, env, dotenv).result.then(() => undefined, (e) => e);
      assert.ok(error instanceof ValidationError);
      assert.equal(`${error.message}${error.remediation ? ` - ${error.remediation}` : ""}`, line);
    });
  }
  await t.step("profile", async () => {
    const error = await resolve({}, {}, {}, { default: { url: "nope", api_key: "k" } }).result.then(
      () => undefined,
      (e) => e,
    );
    assert.equal(error.message, 'Invalid URL "nope" from profile "default": not an absolute URL');
    assert.equal(
      error.remediation,
      'Fix the URL of profile "default" (phyware auth login --profile default --url URL)',
    );
  });
});

Deno.test("profile names are looked up as own properties: constructor or toString is no saved profile", async () => {
  for (const name of ["constructor", "toString", "hasOwnProperty", "valueOf"]) {
    const error = await resolve({ profile: name }, {}, {}, PROFILE).result.then(() => undefined, (e) => e);
    assert.ok(error instanceof ValidationError, name);
    assert.equal(error.message, `No profile "${name}" in ${join(CONFIG, "config.json")}`);
    assert.equal(
      error.remediation,
      `Run phyware auth login --profile ${name}, or use a saved profile: default`,
    );
  }
  await assert.rejects(resolve({ profile: "__proto__" }, {}).result, /Invalid --profile "__proto__"/);
  await assert.rejects(resolve({}, { PHYCLOUD_PROFILE: "a b" }).result, /Invalid PHYCLOUD_PROFILE "a b"/);
});

Deno.test("the profile in effect: --profile, then PHYCLOUD_PROFILE, then current, then default", async () => {
  const profiles = { ...PROFILE, acme: { url: "http://acme:1", api_key: "k_acme" } };
  const files = (current: string | null) => ({
    [join(CONFIG, "config.json")]: JSON.stringify({ current, profiles }),
  });
  const run = async (flags: CredentialFlags, env: Record<string, string>, current: string | null) => {
    const { ctx } = testContext({
      env: { PHYCLOUD_CONFIG_DIR: CONFIG, ...env },
      cwd: CWD,
      files: files(current),
    });
    const got = await resolveCredentials(flags, ctx, { knowProfile: true });
    return `${got.profile?.name}/${got.profile?.reason} ${got.apiKey?.value}`;
  };
  assert.equal(await run({}, {}, null), "default/default k_profile");
  assert.equal(await run({}, {}, "acme"), "acme/current k_acme");
  assert.equal(await run({}, { PHYCLOUD_PROFILE: "default" }, "acme"), "default/env k_profile");
  assert.equal(await run({ profile: "acme" }, { PHYCLOUD_PROFILE: "default" }, null), "acme/flag k_acme");
});

Deno.test("a config.json that cannot be read stops only what needs it", async () => {
  const { ctx } = testContext({
    env: { PHYCLOUD_CONFIG_DIR: CONFIG, PHYCLOUD_URL: "http://env:1", PHYCLOUD_API_KEY: "k_env" },
    cwd: CWD,
    files: { [join(CONFIG, "config.json")]: "{not json" },
  });
  // whoami with the URL and key from the environment still works, and knows no profile.
  const got = await resolveCredentials({}, ctx, { knowProfile: true });
  assert.deepEqual([got.url.value, got.apiKey?.value, got.profile], ["http://env:1", "k_env", undefined]);
  // A profile asked for by name needs the file: its error names it.
  await assert.rejects(
    resolveCredentials({ profile: "ci" }, ctx),
    /Cannot read \/config\/config.json: not valid JSON/,
  );
});
