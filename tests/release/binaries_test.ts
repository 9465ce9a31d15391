// The release binaries at work: linux x64 in a minimal read-only root (version, help, the server, users list,
// the `.env` rules, no runtime autoload), linux arm64 under qemu, and the host binary naming its commit.
import assert from "node:assert/strict";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { buildMinimalRoot, bwrapArgs } from "../../scripts/release/sandbox.ts";
import { startServerProcess } from "../../scripts/server_process.ts";
import { tempDir } from "../support/temp_dir.ts";
import { ADMIN_KEY, assertHost, assertSuccess, needsKit, onLinuxX64, run, unpack } from "./kit.ts";

const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";
/** A second well-formed key, placed only in a `.env` file that phyware must not use as the bootstrap key. */
const DOTENV_KEY = `phy_${"dotenvonly".repeat(4)}`;
const PRELOAD_MARKER = "BUNFIG-PRELOAD-RAN";

/** `.env` with phyware's settings and a bunfig.toml that would run a preload if the runtime read it. */
function workFiles(url: string): Record<string, string> {
  return {
    ".env": `PHYCLOUD_URL=${url}\nPHYCLOUD_API_KEY=${ADMIN_KEY}\n`,
    "bunfig.toml": `preload = ["./preload.js"]\n`,
    "preload.js": `console.error("${PRELOAD_MARKER}");\n`,
  };
}

Deno.test({
  name:
    "linux-x64 in a minimal root (only the binary and its ldd libraries, read-only, uid 65534, empty env)",
  ...onLinuxX64(["bwrap", "bubblewrap"], ["tar", "tar"]),
  fn: async (t) => {
    assertHost("linux", "x86_64");
    await using dir = await tempDir("phyware-release-");
    const { binary } = await unpack("linux-x64", join(dir.path, "unpacked"));
    const root = join(dir.path, "root");
    const libs = await buildMinimalRoot(binary, root, workFiles("http://127.0.0.1:9"));
    assert.ok(libs.length > 0);
    const sandboxed = (args: string[], env: Record<string, string> = {}) =>
      run("bwrap", bwrapArgs(root, env, args));

    await t.step("--version prints the version, and bunfig.toml's preload does not run", async () => {
      const out = await sandboxed(["--version"]);
      assertSuccess(out, "phyware --version");
      assert.equal(out.stdout, `${VERSION}\n`);
      assert.ok(!out.stderr.includes(PRELOAD_MARKER), "bunfig.toml preload ran");
    });

    await t.step("--help prints the usage", async () => {
      const out = await sandboxed(["--help"]);
      assertSuccess(out, "phyware --help");
      assert.match(out.stdout, /^Usage: phyware/m);
      assert.ok(!(out.stdout + out.stderr).includes(PRELOAD_MARKER), "bunfig.toml preload ran");
    });

    const data = join(dir.path, "server-data");
    await Deno.mkdir(data);
    const db = join(data, "phyware.db");
    const server = await startServerProcess({
      phyware: binary,
      db,
      cwd: data,
      env: { PHYCLOUD_BOOTSTRAP_API_KEY: ADMIN_KEY },
    });
    try {
      await t.step("users list in the root: .env gives the URL and key, nothing more", async () => {
        await Deno.writeTextFile(join(root, "work", ".env"), workFiles(server.url)[".env"] as string);
        const out = await sandboxed(["users", "list", "-o", "json"]);
        assertSuccess(out, "users list");
        const all = out.stdout + out.stderr;
        assert.ok(!all.includes(PRELOAD_MARKER), "bunfig.toml preload ran");
        assert.ok(!all.includes(ADMIN_KEY), "the API key was printed");
        const users = JSON.parse(out.stdout) as { email: string }[];
        assert.deepEqual(users.map((u) => u.email), ["admin@default.invalid"]);
      });

      await t.step("users list --url with PHYCLOUD_API_KEY in the environment", async () => {
        await Deno.writeTextFile(join(root, "work", ".env"), "");
        const out = await sandboxed(["users", "list", "--url", server.url, "-o", "id"], {
          PHYCLOUD_API_KEY: ADMIN_KEY,
        });
        assertSuccess(out, "users list --url");
        assert.match(out.stdout, /^usr_\w+\n$/);
      });

      await t.step("the server stops on SIGTERM with exit 0 and keeps its database", async () => {
        const status = await server.stop("SIGTERM");
        assert.equal(status.code, 0, server.stderr());
        assert.ok((await Deno.stat(db)).size > 0, "the database file is empty");
        await using again = await startServerProcess({ phyware: binary, db, cwd: data });
        const out = await run(binary, ["users", "list", "--url", again.url, "-o", "json"], {
          env: { PHYCLOUD_API_KEY: ADMIN_KEY },
          cwd: data,
        });
        assertSuccess(out, "users list after a restart");
        assert.equal((JSON.parse(out.stdout) as unknown[]).length, 1);
      });
    } finally {
      await server.stop("SIGKILL");
    }

    await t.step(
      "server start ignores a bootstrap key in .env (no runtime .env or bunfig autoload)",
      async () => {
        // phyware reads PHYCLOUD_BOOTSTRAP_API_KEY from the environment only; a runtime that loaded .env on its
        // own would make this key the admin key.
        const cwd = join(dir.path, "dotenv-server");
        await Deno.mkdir(cwd);
        for (const [name, text] of Object.entries(workFiles(""))) {
          await Deno.writeTextFile(join(cwd, name), text);
        }
        await Deno.writeTextFile(join(cwd, ".env"), `PHYCLOUD_BOOTSTRAP_API_KEY=${DOTENV_KEY}\n`);
        const fresh = await startServerProcess({ phyware: binary, db: join(cwd, "phyware.db"), cwd });
        try {
          const out = await run(binary, ["users", "list", "--url", fresh.url], {
            env: { PHYCLOUD_API_KEY: DOTENV_KEY },
            cwd: dir.path,
          });
          assert.equal(out.code, 2, "the key from .env was accepted: the runtime loaded .env");
        } finally {
          await fresh.stop();
        }
        assert.ok(!fresh.stderr().includes(PRELOAD_MARKER), "bunfig.toml preload ran in the server");
        assert.ok(!fresh.stderr().includes(DOTENV_KEY), "the server printed the .env key");
      },
    );
  },
});

Deno.test({
  name: "linux-arm64 --version under qemu-aarch64-static with Debian's arm64 libc",
  ...needsKit(["qemu-aarch64-static", "qemu-user-static"], ["tar", "tar"]),
  fn: async () => {
    await using dir = await tempDir("phyware-release-");
    const { binary } = await unpack("linux-arm64", dir.path);
    const sysroot = await Deno.stat(join(ARM64_SYSROOT, "lib")).then(() => true, () => false);
    assert.ok(sysroot, `no ${ARM64_SYSROOT}/lib: apt-get install libc6-arm64-cross`);
    const out = await run("qemu-aarch64-static", ["-L", ARM64_SYSROOT, binary, "--version"], { env: {} });
    assertSuccess(out, "qemu phyware --version");
    assert.equal(out.stdout, `${VERSION}\n`);
  },
});

Deno.test({
  name: "linux-x64: version -o json names the commit and date it was built from",
  ...onLinuxX64(["tar", "tar"]),
  fn: async () => {
    assertHost("linux", "x86_64");
    await using dir = await tempDir("phyware-release-");
    const { binary } = await unpack("linux-x64", dir.path);
    const out = await run(binary, ["version", "-o", "json"], { env: {} });
    assertSuccess(out, "phyware version -o json");
    const { commit, date } = JSON.parse(out.stdout) as { commit: unknown; date: unknown };
    assert.match(String(commit), /^[0-9a-f]{40}$/);
    assert.ok(typeof date === "string" && !Number.isNaN(Date.parse(date)), `date is ${JSON.stringify(date)}`);
  },
});
