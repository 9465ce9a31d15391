// The generated Homebrew formula, run in real Ruby: its install and its `test do` (server, users invite,
// users list -o json) against the built linux-x64 binary.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { tempDir } from "../support/temp_dir.ts";
import { assertHost, assertSuccess, DIST, onLinuxX64, run, unpack } from "./kit.ts";

const HARNESS = new URL("../dist/homebrew_harness.rb", import.meta.url).pathname;

Deno.test({
  name: "phyware.rb: install and test do (server, users invite, users list -o json) in Ruby",
  ...onLinuxX64(["ruby", "ruby"], ["tar", "tar"]),
  fn: async () => {
    assertHost("linux", "x86_64");
    await using dir = await tempDir("phyware-release-");
    const { binary } = await unpack("linux-x64", dir.path);
    // The harness installs from the unpacked archive (its cwd) and runs the test with bin = that folder.
    const unpacked = dirname(binary);
    const out = await run("ruby", [HARNESS, join(DIST, "phyware.rb"), "linux", "x64", unpacked], {
      cwd: unpacked,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    });
    assertSuccess(out, "ruby homebrew_harness.rb");
    assert.ok(out.stdout.endsWith("test ok\n"), `the test block did not finish: ${out.stdout.slice(-300)}`);
    assert.ok(out.stdout.split("\n").some((line) => line.includes(".install ")), "nothing was installed");
  },
});
