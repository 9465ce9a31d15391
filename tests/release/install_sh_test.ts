// dist/install.sh against a loopback server holding the kit: it installs the host's archive, and refuses a
// corrupted one without installing anything.
import assert from "node:assert/strict";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { archiveName } from "../../scripts/release/targets.ts";
import { tempDir } from "../support/temp_dir.ts";
import { assertHost, assertSuccess, DIST, onLinuxX64, run, target } from "./kit.ts";

Deno.test({
  name: "install.sh installs the host's archive from a loopback server, and refuses a corrupted one",
  ...onLinuxX64(["curl", "curl"], ["sha256sum", "coreutils"], ["tar", "tar"]),
  fn: async (t) => {
    assertHost("linux", "x86_64");
    const name = archiveName(VERSION, target("linux-x64"));
    let corrupt = false;
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (request) => {
        const file = decodeURIComponent(new URL(request.url).pathname.slice(1));
        if (file.includes("/") || file.startsWith(".")) return new Response("not found", { status: 404 });
        try {
          const bytes = await Deno.readFile(join(DIST, file));
          if (corrupt && file === name) {
            bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff;
          }
          return new Response(bytes);
        } catch {
          return new Response("not found", { status: 404 });
        }
      },
    );
    const base = `http://127.0.0.1:${server.addr.port}`;
    await using home = await tempDir("phyware-install-");
    const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home.path };

    await t.step("a good archive: the installed binary prints the version", async () => {
      const dir = join(home.path, "ok");
      assertSuccess(
        await run("sh", [join(DIST, "install.sh"), "--base-url", base, "--dir", dir], { env }),
        "install.sh",
      );
      const version = await run(join(dir, "phyware"), ["--version"], { env: {} });
      assert.equal(version.stdout, `${VERSION}\n`);
    });

    await t.step("a corrupted archive: checksum mismatch, exit non-zero, nothing installed", async () => {
      corrupt = true;
      const dir = join(home.path, "bad");
      const out = await run("sh", [join(DIST, "install.sh"), "--base-url", base, "--dir", dir], { env });
      assert.notEqual(out.code, 0, "install.sh succeeded on a corrupted archive");
      assert.match(out.stderr, /checksum mismatch/);
      assert.equal(await Deno.stat(join(dir, "phyware")).then(() => true, () => false), false);
    });
  },
});
