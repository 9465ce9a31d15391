// End-to-end: auth status / whoami, key files, profiles (login, logout, profiles), the precedence of the
// URL and the key, and the .env rule, against the real server; the hidden prompt in a real terminal (tmux).
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, runCliProcess } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { startTmux } from "../support/tmux.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("auth status and whoami say who the key belongs to, and where the URL and key came from", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  await t.step("as JSON: one object with the url, tenant, user, credential and sources", async () => {
    for (const argv of [["auth", "status", "-o", "json"], ["whoami", "-o", "json"]]) {
      const r = await runCli(argv, { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(doc), ["url", "tenant", "user", "credential", "sources", "profile"]);
      assert.equal(doc.url, server.url);
      assert.deepEqual(Object.keys(doc.tenant), ["id", "name"]);
      assert.equal(doc.tenant.name, "default");
      assert.deepEqual(Object.keys(doc.user), ["id", "email", "role", "status"]);
      assert.deepEqual([doc.user.role, doc.user.status], ["admin", "active"]);
      assert.deepEqual(Object.keys(doc.credential), ["type", "id", "name", "scopes"]);
      assert.equal(doc.credential.type, "api_key");
      assert.match(doc.credential.id, /^key_/);
      assert.deepEqual(doc.credential.scopes, ["admin:users"]);
      assert.deepEqual(doc.sources, { url: "env", api_key: "env" });
      assert.ok(!r.stdout.includes(server.apiKey));
    }
  });
  await t.step("as text: key/value lines, the key shown as a prefix only", async () => {
    const r = await runCli(["whoami", "--url", server.url], { env: { PHYCLOUD_API_KEY: server.apiKey } });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => l.split(":")[0]), [
      "url",
      "tenant",
      "user",
      "credential",
      "scopes",
      "api_key",
      "profile",
    ]);
    assert.equal(lines[0], `url:        ${server.url} (from --url)`);
    assert.match(lines[1] ?? "", /^tenant: +default \(ten_\w+\)$/);
    assert.equal(lines[2], "user:       admin@default.invalid (admin, active)");
    assert.equal(lines[5], `api_key:    ${server.apiKey.slice(0, 8)}… (from PHYCLOUD_API_KEY)`);
    assert.ok(!r.stdout.includes(server.apiKey.slice(8, 20)));
  });
  await t.step("a key without admin:users is accepted, and says so in words", async () => {
    const weak = await server.createKey([]);
    const r = await runCli(["auth", "status", "-o", "json"], { env: { ...env, PHYCLOUD_API_KEY: weak } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).credential.scopes, []);
    assert.equal(
      r.stderr,
      "note: the key is valid but lacks the admin:users scope, so the users commands will be refused\n",
    );
  });
  await t.step("a missing or refused key exits 2", async () => {
    const none = await runCli(["auth", "status"], { env: { PHYCLOUD_URL: server.url } });
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /^error: No API key - Pass --api-key or --api-key-file, .* run phyware auth login\n$/,
    );
    const refused = await runCli(["auth", "status"], { env: { ...env, PHYCLOUD_API_KEY: "phy_wrong" } });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^error: Invalid, expired or revoked credentials/);
  });
});

Deno.test("--api-key-file and PHYCLOUD_API_KEY_FILE: a file or standard input, a warning when others can read it", async () => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  const path = join(dir.path, "key");
  await Deno.writeTextFile(path, `${server.apiKey}\n`);
  await Deno.chmod(path, 0o600);
  const env = { PHYCLOUD_URL: server.url };
  const flag = await runCli(["auth", "status", "-o", "json", "--api-key-file", path], { env });
  assert.equal(flag.code, 0, flag.stderr);
  assert.equal(flag.stderr, "");
  assert.deepEqual(JSON.parse(flag.stdout).sources, { url: "env", api_key: "file" });
  const fromEnv = await runCli(["users", "list", "-o", "id"], {
    env: { ...env, PHYCLOUD_API_KEY_FILE: path },
  });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  const stdin = await runCli(["users", "list", "-o", "id", "--api-key-file", "-"], {
    env,
    stdin: `${server.apiKey}\n`,
  });
  assert.equal(stdin.code, 0, stdin.stderr);
  await Deno.chmod(path, 0o640);
  const loose = await runCli(["users", "list", "-o", "id", "--api-key-file", path], { env });
  assert.equal(loose.code, 0, loose.stderr);
  assert.equal(
    loose.stderr,
    `warning: --api-key-file "${path}" can be read by others (mode 0640) - Run chmod 600 "${path}"\n`,
  );
});

Deno.test("profiles: login checks and saves the key 0600, profiles lists, logout removes, precedence holds", async (t) => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  const configDir = join(dir.path, "config");
  const configFile = join(configDir, "config.json");
  const base = { PHYCLOUD_CONFIG_DIR: configDir };
  await t.step("a refused key is not saved: exit 2", async () => {
    const r = await runCli(["auth", "login", "--url", server.url], { env: base, stdin: "phy_wrong\n" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: Invalid, expired or revoked credentials/);
    await assert.rejects(Deno.stat(configFile), Deno.errors.NotFound);
  });
  await t.step("login reads the key from standard input and saves it 0600 in a 0700 folder", async () => {
    const r = await runCli(["auth", "login", "--url", server.url], {
      env: base,
      stdin: `${server.apiKey}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `Logged in to ${server.url} as admin@default.invalid (tenant default); saved profile "default" in ${configFile}, now the current profile\n`,
    );
    assert.equal((await Deno.stat(configFile)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(configDir)).mode! & 0o777, 0o700);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(configFile)), {
      current: "default",
      profiles: { default: { url: server.url, api_key: server.apiKey } },
    });
  });
  const other = await server.createTenant("other");
  await t.step(
    "--profile saves another and makes it current; profiles marks it, never shows keys",
    async () => {
      const r = await runCli(["auth", "login", "--profile", "other", "--url", server.url], {
        env: base,
        stdin: other.apiKey,
      });
      assert.equal(r.code, 0, r.stderr);
      const list = await runCli(["auth", "profiles", "-o", "json"], { env: base });
      assert.deepEqual(JSON.parse(list.stdout), [
        { name: "default", url: server.url, current: false },
        { name: "other", url: server.url, current: true },
      ]);
      const table = await runCli(["auth", "profiles"], { env: base });
      assert.equal(
        table.stdout,
        `NAME     URL${
          " ".repeat(server.url.length - 3)
        }  CURRENT\ndefault  ${server.url}  \nother    ${server.url}  *\n`,
      );
      assert.ok(!table.stdout.includes("phy_"));
    },
  );
  await t.step(
    "the users verbs use the current profile; --profile and PHYCLOUD_PROFILE choose another",
    async () => {
      const tenantOf = async (argv: string[], env: Record<string, string>) => {
        const r = await runCli(["whoami", "-o", "json", ...argv], { env: { ...base, ...env } });
        assert.equal(r.code, 0, r.stderr);
        const doc = JSON.parse(r.stdout);
        return `${doc.tenant.name} ${doc.sources.url} ${doc.sources.api_key}`;
      };
      assert.equal(await tenantOf([], {}), "other profile profile");
      assert.equal(await tenantOf(["--profile", "default"], {}), "default profile profile");
      assert.equal(await tenantOf([], { PHYCLOUD_PROFILE: "default" }), "default profile profile");
      assert.equal(
        await tenantOf(["--profile", "other"], { PHYCLOUD_PROFILE: "default" }),
        "other profile profile",
      );
      // The key and the URL are resolved separately: the environment's key wins over the profile's.
      assert.equal(
        await tenantOf(["--profile", "default"], { PHYCLOUD_API_KEY: other.apiKey }),
        "other profile env",
      );
      const list = await runCli(["users", "list", "-o", "id", "--profile", "other"], { env: base });
      assert.equal(list.code, 0, list.stderr);
      assert.equal(list.stdout.trim().split("\n").length, 1);
      const unknown = await runCli(["users", "list", "--profile", "nope"], { env: base });
      assert.equal(unknown.code, 4);
      assert.equal(
        unknown.stderr,
        `error: No profile "nope" in ${configFile} - Run phyware auth login --profile nope, or use a saved profile: default, other\n`,
      );
    },
  );
  await t.step("a .env URL outranks the profile's, but may not receive the profile's key", async () => {
    const project = join(dir.path, "project");
    await Deno.mkdir(project);
    await Deno.writeTextFile(join(project, ".env"), "PHYCLOUD_URL=https://phycloud.invalid\n");
    const r = await runCli(["users", "list"], { env: base, cwd: project });
    assert.equal(r.code, 4);
    assert.equal(
      r.stderr,
      'error: Refusing to send the API key from profile "other" to https://phycloud.invalid from PHYCLOUD_URL ' +
        "in .env - Pass --url, or put the key in the same .env\n",
    );
  });
  await t.step(
    "logout removes the current profile and leaves none current; an unknown one exits 4",
    async () => {
      const r = await runCli(["auth", "logout"], { env: base });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stderr,
        `Removed profile "other" from ${configFile}; no profile is current now (phyware auth switch NAME chooses one)\n`,
      );
      assert.deepEqual(JSON.parse(await Deno.readTextFile(configFile)), {
        current: null,
        profiles: { default: { url: server.url, api_key: server.apiKey } },
      });
      assert.equal((await Deno.stat(configFile)).mode! & 0o777, 0o600);
      const again = await runCli(["auth", "logout", "--profile", "other"], { env: base });
      assert.equal(again.code, 4);
    },
  );
});

Deno.test("a .env cannot redirect a key from the environment or a flag (as a subprocess)", async () => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  await Deno.writeTextFile(join(dir.path, ".env"), "PHYCLOUD_URL=https://attacker.invalid\n");
  for (
    const [argv, env, origin] of [
      [[], { PHYCLOUD_API_KEY: server.apiKey }, "PHYCLOUD_API_KEY"],
      [["--api-key", server.apiKey], {}, "--api-key"],
    ] as const
  ) {
    const r = await runCliProcess(["users", "list", ...argv], { cwd: dir.path, env: { ...env } });
    assert.deepEqual([r.code, r.stdout], [4, ""]);
    assert.equal(
      r.stderr,
      `error: Refusing to send the API key from ${origin} to https://attacker.invalid from PHYCLOUD_URL in .env ` +
        "- Pass --url, or put the key in the same .env\n",
    );
  }
  // --url fixes it; a loopback URL in .env is allowed, and --verbose names both sources.
  const fixed = await runCliProcess(["users", "list", "-o", "id", "--url", server.url], {
    cwd: dir.path,
    env: { PHYCLOUD_API_KEY: server.apiKey },
  });
  assert.equal(fixed.code, 0, fixed.stderr);
  await Deno.writeTextFile(join(dir.path, ".env"), `PHYCLOUD_URL=${server.url}\n`);
  const local = await runCliProcess(["users", "list", "-o", "id", "--verbose"], {
    cwd: dir.path,
    env: { PHYCLOUD_API_KEY: server.apiKey },
  });
  assert.equal(local.code, 0, local.stderr);
  assert.match(
    local.stderr,
    new RegExp(
      `^\\* url ${server.url} from PHYCLOUD_URL in \\.env, api key from PHYCLOUD_API_KEY: phy_\\[redacted\\]\n`,
    ),
  );
});

Deno.test(
  "in a real terminal (tmux), auth login reads the key at a prompt that does not show it",
  needs(["tmux", "tmux"]),
  async () => {
    await using server = await startTestServer();
    await using dir = await tempDir("phyware-e2e-");
    await using terminal = await startTmux();
    await terminal.type(
      `PHYCLOUD_CONFIG_DIR=${dir.path}/cfg NO_COLOR=1 "${Deno.execPath()}" run -A --quiet "${main}" ` +
        `auth login --url ${server.url}; echo "exit=$?"`,
    );
    // capture-pane drops the prompt's trailing space.
    await terminal.waitFor(/Paste your API key \(it will not be shown\):/);
    await terminal.type(server.apiKey);
    const text = await terminal.waitFor(/exit=\d+/);
    assert.match(text, /exit=0/);
    assert.match(text, /Logged in to .* saved profile "default"/);
    assert.ok(!text.includes(server.apiKey.slice(4)), "the key must not be echoed");
    const saved = JSON.parse(await Deno.readTextFile(join(dir.path, "cfg", "config.json")));
    assert.equal(saved.profiles.default.api_key, server.apiKey);
  },
);
