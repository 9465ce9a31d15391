// End-to-end: config.json as people and scripts meet it: concurrent logins and logouts (a lock), the config
// folder's ownership and mode, a read-only folder, secrets with a size limit, one standard input, profiles a
// login makes current (in a real terminal), and errors that name where the URL and key came from.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { closedPortUrl } from "../support/faulty_proxy.ts";
import { needs } from "../support/programs.ts";
import { DEFAULT_LIMITS } from "../support/default_limits.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";
import { startTmux } from "../support/tmux.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

function runtimeEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** phyware as a subprocess with `stdin` piped in; `prefix` runs it under another program (bwrap). */
async function phyware(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: string; prefix?: string[] } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, ...args] = [
    ...(options.prefix ?? []),
    Deno.execPath(),
    "run",
    "-A",
    "--quiet",
    main,
    ...argv,
  ];
  const child = new Deno.Command(command!, {
    args,
    env: { ...runtimeEnv(), ...(options.env ?? {}) },
    clearEnv: true,
    cwd: "/",
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(options.stdin ?? ""));
  await writer.close();
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

async function profilesIn(configFile: string): Promise<string[]> {
  return Object.keys(JSON.parse(await Deno.readTextFile(configFile)).profiles).sort();
}

Deno.test("20 parallel logins keep 20 profiles, and a logout racing a login loses neither change", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  await using dir = await tempDir("phyware-e2e-");
  const configFile = join(dir.path, "config.json");
  const env = { PHYCLOUD_CONFIG_DIR: dir.path, PHYCLOUD_URL: server.url };
  const names = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, "0")}`);
  const logins = await Promise.all(
    names.map((name) => phyware(["auth", "login", "--profile", name], { env, stdin: `${server.apiKey}\n` })),
  );
  for (const r of logins) assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await profilesIn(configFile), names);
  assert.deepEqual([...Deno.readDirSync(dir.path)].map((e) => e.name), ["config.json"]);

  for (let round = 0; round < 10; round++) {
    const [login, logout] = await Promise.all([
      phyware(["auth", "login", "--profile", `new${round}`], { env, stdin: `${server.apiKey}\n` }),
      phyware(["auth", "logout", "--profile", names[round]!], { env }),
    ]);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(logout.code, 0, logout.stderr);
    const saved = await profilesIn(configFile);
    assert.ok(saved.includes(`new${round}`), `round ${round}: the login was lost`);
    assert.ok(!saved.includes(names[round]!), `round ${round}: the logged-out key is still on disk`);
    assert.ok(!(await Deno.readTextFile(configFile)).includes(`"${names[round]}"`));
  }
});

Deno.test("a stale lock left by a dead process is broken, and the login goes on", async () => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  const lock = join(dir.path, "config.json.lock");
  // A pid that is not running on this host: a process that has already exited.
  const dead = new Deno.Command("true").spawn();
  const { success } = await dead.status;
  assert.ok(success);
  await Deno.writeTextFile(
    lock,
    JSON.stringify({ pid: dead.pid, host: Deno.hostname(), token: "t" }),
    { mode: 0o600 },
  );
  const r = await runCli(["auth", "login", "--url", server.url], {
    env: { PHYCLOUD_CONFIG_DIR: dir.path },
    stdin: server.apiKey,
  });
  assert.equal(r.code, 0, r.stderr);
  await assert.rejects(Deno.stat(lock), Deno.errors.NotFound);
});

Deno.test("an existing config folder is never chmod-ed; one others can write to or another user owns is refused", async (t) => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  const login = (configDir: string) =>
    runCli(["auth", "login", "--url", server.url], {
      env: { PHYCLOUD_CONFIG_DIR: configDir },
      stdin: server.apiKey,
    });
  await t.step(
    "a shared folder (1777, like /tmp) keeps its mode and sticky bit, and is refused",
    async () => {
      const shared = join(dir.path, "shared");
      await Deno.mkdir(shared);
      await Deno.chmod(shared, 0o1777);
      const r = await login(shared);
      assert.deepEqual([r.code, r.stdout], [1, ""]);
      assert.equal(
        r.stderr,
        `error: Refusing to use the config folder "${shared}": others can write to it (mode 1777) - Run chmod go-w ` +
          `"${shared}", or use a folder of your own, or set PHYCLOUD_CONFIG_DIR to one\n`,
      );
      assert.equal((await Deno.stat(shared)).mode! & 0o7777, 0o1777);
      assert.deepEqual([...Deno.readDirSync(shared)], []);
    },
  );
  await t.step("a folder another user owns is refused in one line, not EPERM", async () => {
    const theirs = join(dir.path, "theirs");
    await Deno.mkdir(theirs, { mode: 0o700 });
    await Deno.chown(theirs, 65534, 65534);
    const r = await login(theirs);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: Refusing to use the config folder "${theirs}": it belongs to another user (uid 65534) - Use a ` +
        "folder of your own, or set PHYCLOUD_CONFIG_DIR to one\n",
    );
  });
  await t.step("a folder phyware creates is 0700; an existing private one keeps its mode", async () => {
    const fresh = join(dir.path, "a", "b");
    assert.equal((await login(fresh)).code, 0);
    assert.equal((await Deno.stat(fresh)).mode! & 0o777, 0o700);
    const mine = join(dir.path, "mine");
    await Deno.mkdir(mine);
    await Deno.chmod(mine, 0o755);
    assert.equal((await login(mine)).code, 0);
    assert.equal((await Deno.stat(mine)).mode! & 0o777, 0o755);
  });
  await t.step(
    "a config.json others can read, or another user owns, draws the key file's warnings",
    async () => {
      const mine = join(dir.path, "mine");
      await Deno.chmod(join(mine, "config.json"), 0o644);
      const r = await runCli(["users", "list", "-o", "id"], { env: { PHYCLOUD_CONFIG_DIR: mine } });
      assert.equal(r.code, 0, r.stderr);
      const path = join(mine, "config.json");
      assert.equal(
        r.stderr,
        `warning: the config file "${path}" can be read by others (mode 0644) - Run chmod 600 "${path}"\n`,
      );
      await Deno.chmod(path, 0o600);
      await Deno.chown(path, 65534, 65534);
      const owned = await runCli(["users", "list", "-o", "id"], { env: { PHYCLOUD_CONFIG_DIR: mine } });
      assert.equal(owned.code, 0, owned.stderr);
      assert.equal(
        owned.stderr,
        `warning: the config file "${path}" belongs to another user (uid 65534), who can change it - Use a file ` +
          "of your own\n",
      );
      // A key file gets the same rule.
      const key = join(dir.path, "key");
      await Deno.writeTextFile(key, server.apiKey, { mode: 0o600 });
      await Deno.chown(key, 65534, 65534);
      const keyFile = await runCli(
        ["users", "list", "-o", "id", "--url", server.url, "--api-key-file", key],
        {},
      );
      assert.equal(keyFile.code, 0, keyFile.stderr);
      assert.match(keyFile.stderr, /^warning: --api-key-file ".*" belongs to another user \(uid 65534\)/);
    },
  );
});

Deno.test(
  "a read-only config folder (EROFS) is one line naming the folder and PHYCLOUD_CONFIG_DIR, exit 1",
  needs(["bwrap", "bubblewrap"]),
  async () => {
    await using server = await startTestServer();
    await using dir = await tempDir("phyware-e2e-");
    const readOnly = join(dir.path, "ro");
    await Deno.mkdir(readOnly, { mode: 0o700 });
    const prefix = [
      "bwrap",
      "--bind",
      "/",
      "/",
      "--ro-bind",
      readOnly,
      readOnly,
      "--dev",
      "/dev",
      "--proc",
      "/proc",
    ];
    for (const configDir of [readOnly, join(readOnly, "new")]) {
      const r = await phyware(["auth", "login", "--url", server.url], {
        env: { PHYCLOUD_CONFIG_DIR: configDir },
        stdin: server.apiKey,
        prefix,
      });
      assert.deepEqual([r.code, r.stdout], [1, ""]);
      assert.equal(
        r.stderr,
        `error: Cannot write to the config folder "${configDir}": the file system is read-only - Set ` +
          "PHYCLOUD_CONFIG_DIR to a folder you can write to\n",
      );
    }
  },
);

Deno.test("secrets are read with a size limit: --api-key-file /dev/zero and `yes | phyware auth login` stop at once", async () => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  const started = Date.now();
  const zero = await phyware(["users", "list", "--api-key-file", "/dev/zero"], {
    env: { PHYCLOUD_URL: server.url },
  });
  assert.deepEqual([zero.code, zero.stdout], [4, ""]);
  assert.equal(
    zero.stderr,
    'error: Invalid --api-key-file "/dev/zero": longer than 8 KiB, so not an API key - Give the key alone, such as phy_...\n',
  );
  const long = await phyware(["auth", "login", "--url", server.url], {
    env: { PHYCLOUD_CONFIG_DIR: dir.path },
    stdin: "x".repeat(100_000),
  });
  assert.equal(long.code, 4);
  assert.match(long.stderr, /^error: Invalid key on standard input: longer than 8 KiB/);
  // `yes` never ends: the login reads its first line, a key the server refuses, and stops reading.
  const yes = await new Deno.Command("sh", {
    args: ["-c", `yes | "${Deno.execPath()}" run -A --quiet "${main}" auth login --url ${server.url}`],
    env: { ...runtimeEnv(), PHYCLOUD_CONFIG_DIR: dir.path },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(yes.code, 2, new TextDecoder().decode(yes.stderr));
  assert.match(
    new TextDecoder().decode(yes.stderr),
    /^error: Invalid, expired or revoked credentials - Give a valid key \(the key read from standard input\)/,
  );
  assert.ok(Date.now() - started < 60_000);
  await assert.rejects(Deno.stat(join(dir.path, "config.json")), Deno.errors.NotFound);
});

Deno.test("standard input serves one input: --from-file - with --api-key-file - is refused before reading", async () => {
  const key = "phy_" + "k".repeat(43);
  for (
    const [argv, env, other] of [
      [["users", "invite", "--from-file", "-", "--api-key-file", "-"], {}, "--api-key-file -"],
      [
        ["users", "deactivate", "--from-file", "-", "--yes"],
        { PHYCLOUD_API_KEY_FILE: "-" },
        "PHYCLOUD_API_KEY_FILE=-",
      ],
    ] as const
  ) {
    const r = await runCli([...argv], { env: { PHYCLOUD_URL: closedPortUrl(), ...env }, stdin: `${key}\n` });
    assert.deepEqual([r.code, r.stdout], [4, ""], r.stderr);
    assert.equal(
      r.stderr,
      `error: Use standard input for --from-file - or for ${other}, not both - Give the key in a file ` +
        "(--api-key-file PATH) or in PHYCLOUD_API_KEY\n",
    );
    assert.ok(!r.stderr.includes(key));
  }
});

Deno.test("errors name where the URL and the key came from", async (t) => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  await t.step("PHYCLOUD_URL=foo phyware users list names PHYCLOUD_URL", async () => {
    const r = await runCli(["users", "list"], {
      env: { PHYCLOUD_URL: "foo", PHYCLOUD_API_KEY: server.apiKey },
    });
    assert.equal(r.code, 4);
    assert.equal(r.stderr, 'error: Invalid PHYCLOUD_URL "foo": not an absolute URL - Fix PHYCLOUD_URL\n');
  });
  await t.step("an empty PHYCLOUD_URL is the same for auth login and the users verbs", async () => {
    const project = join(dir.path, "project");
    await Deno.mkdir(project);
    await Deno.writeTextFile(join(project, ".env"), "PHYCLOUD_URL=http://127.0.0.1:1\n");
    const env = { PHYCLOUD_URL: "", PHYCLOUD_CONFIG_DIR: join(dir.path, "cfg1") };
    const list = await runCli(["users", "list", "--verbose"], {
      env: { ...env, PHYCLOUD_API_KEY: "phy_x" },
      cwd: project,
    });
    const login = await runCli(["auth", "login", "--verbose"], { env, cwd: project, stdin: "phy_x" });
    const source = (stderr: string) =>
      /^\* url (\S+) from (.+?)(?:, api key .*)?$/m.exec(stderr)?.slice(1, 3);
    assert.deepEqual(source(list.stderr), [
      "http://localhost:8000",
      "the default (PHYCLOUD_URL is set but empty; PHYCLOUD_URL in .env was not used)",
    ]);
    assert.deepEqual(source(login.stderr), source(list.stderr));
    // Nothing listens on the default URL here: the remediation says why .env's URL was not used.
    assert.equal(list.code, 1, list.stderr);
    assert.match(
      list.stderr,
      /Check --url or PHYCLOUD_URL \(PHYCLOUD_URL is set but empty, so phyware used the default http:\/\/localhost:8000, not PHYCLOUD_URL in \.env\)/,
    );
  });
  await t.step("an empty PHYCLOUD_URL with no URL in .env does not blame .env", async () => {
    const bare = join(dir.path, "bare");
    await Deno.mkdir(bare);
    const r = await runCli(["users", "list", "--verbose"], {
      env: { PHYCLOUD_URL: "", PHYCLOUD_API_KEY: "phy_x", PHYCLOUD_CONFIG_DIR: join(dir.path, "cfg-bare") },
      cwd: bare,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^\* url http:\/\/localhost:8000 from the default \(PHYCLOUD_URL is set but empty\), api key/m,
    );
    assert.match(
      r.stderr,
      /Check --url or PHYCLOUD_URL \(PHYCLOUD_URL is set but empty, so phyware used the default http:\/\/localhost:8000\) and/,
    );
    assert.doesNotMatch(r.stderr, /\.env/);
  });
  await t.step("a profile's URL with the server down names the profile", async () => {
    const cfg = join(dir.path, "cfg2");
    await Deno.mkdir(cfg, { mode: 0o700 });
    const url = closedPortUrl();
    await Deno.writeTextFile(
      join(cfg, "config.json"),
      JSON.stringify({ current: "acme", profiles: { acme: { url, api_key: server.apiKey } } }),
      { mode: 0o600 },
    );
    const r = await runCli(["users", "list"], { env: { PHYCLOUD_CONFIG_DIR: cfg } });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: Cannot reach ${url}: connection refused - Check the URL of profile "acme" (phyware auth login ` +
        "--profile acme --url URL) and that the server is running\n",
    );
  });
  await t.step("a refused key from a profile, a key file or the prompt says what to do there", async () => {
    const cfg = join(dir.path, "cfg3");
    await Deno.mkdir(cfg, { mode: 0o700 });
    const bad = "phy_" + "0".repeat(43);
    await Deno.writeTextFile(
      join(cfg, "config.json"),
      JSON.stringify({ current: "ci", profiles: { ci: { url: server.url, api_key: bad } } }),
      { mode: 0o600 },
    );
    const profile = await runCli(["users", "list"], { env: { PHYCLOUD_CONFIG_DIR: cfg } });
    assert.match(
      profile.stderr,
      / - Save a valid key with phyware auth login --profile ci; this one may be revoked/,
    );
    const file = join(dir.path, "key");
    await Deno.writeTextFile(file, bad, { mode: 0o600 });
    const fromFile = await runCli(["users", "list", "--url", server.url, "--api-key-file", file], {});
    assert.match(
      fromFile.stderr,
      new RegExp(` - Put a valid key in --api-key-file "${file}"; this one may be revoked`),
    );
    const typed = await runCli(["auth", "login", "--url", server.url], {
      env: { PHYCLOUD_CONFIG_DIR: cfg },
      stdin: bad,
    });
    assert.equal(typed.code, 2);
    assert.match(typed.stderr, / - Give a valid key \(the key read from standard input\)/);
    assert.ok(!profile.stderr.includes(bad) && !fromFile.stderr.includes(bad) && !typed.stderr.includes(bad));
  });
  await t.step("no key anywhere but saved profiles: the error names them", async () => {
    const cfg = join(dir.path, "cfg4");
    await Deno.mkdir(cfg, { mode: 0o700 });
    await Deno.writeTextFile(
      join(cfg, "config.json"),
      JSON.stringify({ current: null, profiles: { acme: { url: server.url, api_key: server.apiKey } } }),
      { mode: 0o600 },
    );
    const r = await runCli(["whoami"], { env: { PHYCLOUD_CONFIG_DIR: cfg } });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "error: No API key - Pass --api-key or --api-key-file, set PHYCLOUD_API_KEY, add it to .env, or run " +
        "phyware auth login, or use a saved profile: phyware auth switch acme\n",
    );
  });
  await t.step("profile names act as names only: constructor is no saved profile", async () => {
    const cfg = join(dir.path, "cfg4");
    for (
      const argv of [["users", "list", "--profile", "constructor"], [
        "auth",
        "logout",
        "--profile",
        "toString",
      ]]
    ) {
      const r = await runCli(argv, { env: { PHYCLOUD_CONFIG_DIR: cfg } });
      assert.equal(r.code, 4, r.stderr);
      assert.match(
        r.stderr,
        /^error: No profile "(constructor|toString)" in .* - Run phyware auth login --profile/,
      );
    }
  });
});

Deno.test("auth switch makes a saved profile current; whoami says which profile and why", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  await using dir = await tempDir("phyware-e2e-");
  const env = { PHYCLOUD_CONFIG_DIR: dir.path };
  const other = await server.createTenant("other");
  for (const [name, key] of [["acme", server.apiKey], ["ci", other.apiKey]] as const) {
    const r = await runCli(["auth", "login", "--profile", name, "--url", server.url], { env, stdin: key });
    assert.equal(r.code, 0, r.stderr);
  }
  const profile = async (extra: Record<string, string> = {}, argv: string[] = []) => {
    const r = await runCli(["whoami", "-o", "json", ...argv], { env: { ...env, ...extra } });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    return `${doc.profile.name}/${doc.profile.reason} ${doc.tenant.name}`;
  };
  assert.equal(await profile(), "ci/current other");
  const unknown = await runCli(["auth", "switch", "nope"], { env });
  assert.deepEqual([unknown.code, unknown.stderr], [
    4,
    `error: No profile "nope" in ${
      join(dir.path, "config.json")
    } - Run phyware auth login --profile nope, or ` +
    "use a saved profile: acme, ci\n",
  ]);
  const switched = await runCli(["auth", "switch", "acme"], { env });
  assert.equal(switched.code, 0, switched.stderr);
  assert.equal(
    switched.stderr,
    `Switched to profile "acme" (${server.url}) in ${join(dir.path, "config.json")}\n`,
  );
  assert.equal(await profile(), "acme/current default");
  assert.equal(await profile({ PHYCLOUD_PROFILE: "ci" }), "ci/env other");
  assert.equal(await profile({ PHYCLOUD_PROFILE: "ci" }, ["--profile", "acme"]), "acme/flag default");
  const text = await runCli(["whoami"], { env });
  assert.match(text.stdout, /^profile: +acme \(chosen by the current profile \(phyware auth switch\)\)$/m);
  const elsewhere = await runCli(["whoami"], {
    env: { ...env, PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: other.apiKey },
  });
  assert.match(
    elsewhere.stdout,
    /^profile: +acme \(chosen by the current profile \(phyware auth switch\), not used: the URL and key came from elsewhere\)$/m,
  );
  const noted = await runCli(["auth", "switch", "ci"], { env: { ...env, PHYCLOUD_PROFILE: "acme" } });
  assert.match(
    noted.stderr,
    /\nnote: PHYCLOUD_PROFILE=acme is set and still wins over the current profile\n$/,
  );
  const list = await runCli(["auth", "profiles", "-o", "json"], { env });
  assert.deepEqual(JSON.parse(list.stdout), [
    { name: "acme", url: server.url, current: false },
    { name: "ci", url: server.url, current: true },
  ]);
});

Deno.test(
  "in a real terminal (tmux), auth login --profile acme at the hidden prompt, then auth status uses acme",
  needs(["tmux", "tmux"]),
  async () => {
    await using server = await startTestServer(DEFAULT_LIMITS);
    await using dir = await tempDir("phyware-e2e-");
    await using terminal = await startTmux();
    const phy =
      `PHYCLOUD_CONFIG_DIR=${dir.path}/cfg NO_COLOR=1 "${Deno.execPath()}" run -A --quiet "${main}"`;
    await terminal.type(`${phy} auth login --profile acme --url ${server.url}; echo "login=$?"`);
    await terminal.waitFor(/Paste your API key \(it will not be shown\):/);
    await terminal.type(server.apiKey);
    const afterLogin = await terminal.waitFor(/login=\d+/);
    assert.match(afterLogin, /login=0/);
    assert.match(afterLogin, /saved profile "acme" in .*, now the current profile/);
    await terminal.type("clear");
    await terminal.type(`${phy} auth status; echo "status=$?"`);
    const status = await terminal.waitFor(/status=\d+/);
    assert.match(status, /status=0/);
    assert.match(status, /api_key: +phy_\S+… \(from profile "acme"\)/);
    assert.match(status, /profile: +acme \(chosen by the current profile \(phyware auth switch\)\)/);
    assert.ok(!status.includes(server.apiKey.slice(8)), "the key must not be shown");
    await terminal.type("clear");
    await terminal.type(`${phy} auth profiles; echo "profiles=$?"`);
    const table = await terminal.waitFor(/profiles=\d+/);
    assert.match(table, /^acme +http:\/\/127\.0\.0\.1:\d+ +\*$/m);
  },
);
