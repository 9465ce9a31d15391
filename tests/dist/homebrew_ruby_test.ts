// Loads the generated formula in real Ruby (Debian package ruby) through a stand-in for Homebrew's DSL: it
// picks each platform's archive, installs the binary, man pages and completions, and its `test do` runs for
// real against phyware (here `deno run main.ts`): a server on a free port, `users invite`, `users list`.
import assert from "node:assert/strict";
import { join } from "node:path";
import { homebrewFormula } from "../../scripts/release/homebrew.ts";
import { sampleRelease } from "./fixtures.ts";
import { needs } from "../support/programs.ts";
import { VERSION } from "../../src/version.ts";
import { tempDir } from "../support/temp_dir.ts";

const HARNESS = new URL("./homebrew_harness.rb", import.meta.url).pathname;
const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test({
  name: "the formula, loaded by Ruby, picks each platform's archive, installs everything and its test works",
  ...needs(["ruby", "ruby"]),
  fn: async (t) => {
    await using dir = await tempDir();
    await Deno.writeTextFile(
      join(dir.path, "phyware.rb"),
      homebrewFormula(sampleRelease({ version: VERSION })),
    );
    // What an unpacked archive holds, so that the install block's globs find the man pages.
    await Deno.mkdir(join(dir.path, "man", "man1"), { recursive: true });
    for (const page of ["phyware.1", "phyware-users.1"]) {
      await Deno.writeTextFile(join(dir.path, "man", "man1", page), "");
    }
    const bin = join(dir.path, "bin");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(
      join(bin, "phyware"),
      `#!/bin/sh\nexec "${Deno.execPath()}" run -A --quiet "${MAIN}" "$@"\n`,
    );
    await Deno.chmod(join(bin, "phyware"), 0o755);
    const cases = [
      { os: "darwin", arch: "arm64", file: "darwin_arm64", hash: "5" },
      { os: "darwin", arch: "x64", file: "darwin_x64", hash: "4" },
      { os: "linux", arch: "arm64", file: "linux_arm64", hash: "1" },
      { os: "linux", arch: "x64", file: "linux_x64", hash: "0" },
    ];
    for (const c of cases) {
      await t.step(`${c.os} ${c.arch}`, async () => {
        const out = await new Deno.Command("ruby", {
          args: [HARNESS, join(dir.path, "phyware.rb"), c.os, c.arch, bin],
          cwd: dir.path,
          env: { PHYCLOUD_URL: "", PHYCLOUD_API_KEY: "" },
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.equal(new TextDecoder().decode(out.stderr), "");
        assert.equal(
          new TextDecoder().decode(out.stdout),
          `https://example.test/dl/v${VERSION}/phyware_${VERSION}_${c.file}.tar.gz\n${c.hash.repeat(64)}\n` +
            "bin.install phyware\n" +
            "man1.install man/man1/phyware-users.1\nman1.install man/man1/phyware.1\n" +
            "bash_completion.install completions/phyware.bash => phyware\n" +
            "zsh_completion.install completions/_phyware\n" +
            "fish_completion.install completions/phyware.fish\n" +
            "assert_equal ok\nassert_equal ok\nassert_equal ok\ntest ok\n",
        );
      });
    }
  },
});
