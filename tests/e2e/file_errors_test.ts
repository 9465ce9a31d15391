// Files phyware cannot use are one clear line with the right exit code, never "Unexpected error": an
// unreadable key file or config folder (as an unprivileged user), a folder where a file should be, a full
// disk under stdout; and a config folder others can change is refused for reading as for writing.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { needsPlatform } from "../support/programs.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";
import { NOBODY, nobodyCanRun } from "../support/nobody.ts";
import { inCi } from "../support/programs.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

const isRoot = Deno.uid() === 0;

const UNREADABLE_RUNS = inCi() || !isRoot || await nobodyCanRun(main);
if (!UNREADABLE_RUNS) {
  console.error(
    `skipped: the unreadable-file test runs as nobody under root, who cannot run ${Deno.execPath()}`,
  );
}

/** phyware as a subprocess, as user nobody when the tests run as root (root reads anything). */
async function phywareAsUser(
  args: string[],
  env: Record<string, string>,
  home: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", main, ...args],
    ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, DENO_DIR: join(home, "deno"), ...env },
    clearEnv: true,
    cwd: "/",
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** A temp folder every user may enter (the tests below drop to user nobody). */
async function openDir() {
  const dir = await tempDir("phyware-files-");
  await Deno.chmod(dir.path, 0o755);
  return dir;
}

Deno.test({
  name: "an unreadable key file or config folder is one line naming it, not an unexpected error",
  ignore: !UNREADABLE_RUNS,
  fn: async (t) => {
    await using server = await startTestServer();
    await using dir = await openDir();
    // The user's home (and Deno's cache), which the user may write.
    const home = join(dir.path, "home");
    await Deno.mkdir(home);
    if (isRoot) await Deno.chown(home, NOBODY, NOBODY);
    await t.step("--api-key-file with mode 000: exit 4", async () => {
      const key = join(dir.path, "k");
      await Deno.writeTextFile(key, server.apiKey);
      await Deno.chmod(key, 0o000);
      const r = await phywareAsUser(
        ["users", "list", "--url", server.url, "--api-key-file", key, "-o", "json"],
        {},
        home,
      );
      assert.equal(r.code, 4, r.stderr);
      assert.equal(r.stdout, "");
      const [line, json] = r.stderr.split("\n");
      assert.equal(
        line,
        `error: Cannot read --api-key-file "${key}": permission denied - Check the permissions, or run as the user who owns it`,
      );
      const error = JSON.parse(json ?? "").error;
      assert.equal(error.message, `Cannot read --api-key-file "${key}": permission denied`);
      assert.equal(error.code, "VALIDATION_ERROR");
      assert.equal(error.remediation, "Check the permissions, or run as the user who owns it");
    });
    await t.step(
      "a config folder inside a folder the user cannot enter: exit 1, for every command",
      async () => {
        // Mode 000: nobody (and, without root, not even the owner) can enter it.
        const locked = join(dir.path, "locked");
        await Deno.mkdir(locked);
        await Deno.chmod(locked, 0o000);
        using _unlock = { [Symbol.dispose]: () => Deno.chmodSync(locked, 0o700) };
        const folder = join(locked, "cfg");
        for (const args of ["auth profiles", "users list", "auth status"]) {
          const r = await phywareAsUser(args.split(" "), { PHYCLOUD_CONFIG_DIR: folder }, home);
          assert.equal(r.code, 1, `${args}: ${r.stderr}`);
          assert.equal(
            r.stderr,
            `error: Cannot read the config file "${
              join(folder, "config.json")
            }": permission denied - Check "${folder}", ` +
              "or set PHYCLOUD_CONFIG_DIR to a folder of your own\n",
            args,
          );
        }
      },
    );
  },
});

Deno.test("a folder given where a file goes is said to be a folder", async (t) => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-files-");
  await t.step("--api-key-file FOLDER: exit 4", async () => {
    const r = await runCli(["users", "list", "--url", server.url, "--api-key-file", dir.path]);
    assert.equal(r.code, 4);
    assert.equal(
      r.stderr,
      `error: Cannot read --api-key-file "${dir.path}": it is a folder, not a file - Give the path of a file\n`,
    );
  });
  await t.step("config.json a folder: auth profiles fails instead of listing nothing", async () => {
    await Deno.mkdir(join(dir.path, "config.json"));
    const r = await runCli(["auth", "profiles"], { env: { PHYCLOUD_CONFIG_DIR: dir.path } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `error: Cannot read the config file "${join(dir.path, "config.json")}": it is a folder, not a file - ` +
        `Check "${dir.path}", or set PHYCLOUD_CONFIG_DIR to a folder of your own\n`,
    );
  });
  await t.step("a folder named .env in the working folder is still no dotenv file", async () => {
    await Deno.mkdir(join(dir.path, ".env"));
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    const r = await runCli(["users", "list", "-o", "id"], { env, cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
  });
});

// /dev/full is Linux's.
Deno.test("a full disk under stdout is one line, exit 1", needsPlatform("linux"), async () => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  assert.equal((await runCli(["users", "invite", "--email", "full@example.com"], { env })).code, 0);
  const out = await new Deno.Command("sh", {
    args: ["-c", `"${Deno.execPath()}" run -A --quiet "${main}" users list -o ndjson > /dev/full`],
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  // With -o ndjson the error is also a JSON line on stderr.
  assert.equal(
    new TextDecoder().decode(out.stderr).split("\n")[0],
    "error: Cannot write the output: no space left on the device - Free some space, or write somewhere else",
  );
});

Deno.test("a config folder others can write to, or another user owns, is refused for reading too", async (t) => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-files-");
  const config = JSON.stringify({
    current: "default",
    profiles: { default: { url: server.url, api_key: server.apiKey } },
  });
  const shared = join(dir.path, "shared");
  await Deno.mkdir(shared);
  await Deno.writeTextFile(join(shared, "config.json"), config, { mode: 0o600 });
  await Deno.chmod(shared, 0o1777);
  for (const argv of [["users", "list", "-o", "id"], ["auth", "profiles"]]) {
    await t.step(`mode 1777: ${argv.join(" ")}`, async () => {
      const r = await runCli(argv, { env: { PHYCLOUD_CONFIG_DIR: shared } });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: Refusing to use the config folder "${shared}": others can write to it (mode 1777) - ` +
          `Run chmod go-w "${shared}", or use a folder of your own, or set PHYCLOUD_CONFIG_DIR to one\n`,
      );
    });
  }
  if (isRoot) {
    await t.step("owned by another user", async () => {
      await Deno.chmod(shared, 0o755);
      await Deno.chown(shared, NOBODY, NOBODY);
      const r = await runCli(["users", "list", "-o", "id"], { env: { PHYCLOUD_CONFIG_DIR: shared } });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^error: Refusing to use the config folder ".*": it belongs to another user \(uid 65534\)/,
      );
      await Deno.chown(shared, 0, 0);
    });
  }
});
