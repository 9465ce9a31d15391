import assert from "node:assert/strict";
import { homebrewFormula } from "../../scripts/release/homebrew.ts";
import { sampleRelease } from "./fixtures.ts";

Deno.test("homebrewFormula offers each OS and CPU its glibc or darwin archive, never musl", () => {
  const formula = homebrewFormula(sampleRelease());
  // TARGETS order: linux-x64 0, linux-arm64 1, musl 2 and 3, darwin-x64 4, darwin-arm64 5, windows 6.
  const expected = `  on_macos do
    if Hardware::CPU.arm?
      url "https://example.test/dl/v1.2.3/phyware_1.2.3_darwin_arm64.tar.gz"
      sha256 "${"5".repeat(64)}"
    else
      url "https://example.test/dl/v1.2.3/phyware_1.2.3_darwin_x64.tar.gz"
      sha256 "${"4".repeat(64)}"
    end
  end

  on_linux do
    if Hardware::CPU.arm?
      url "https://example.test/dl/v1.2.3/phyware_1.2.3_linux_arm64.tar.gz"
      sha256 "${"1".repeat(64)}"
    else
      url "https://example.test/dl/v1.2.3/phyware_1.2.3_linux_x64.tar.gz"
      sha256 "${"0".repeat(64)}"
    end
  end
`;
  assert.ok(formula.includes(expected), formula);
  assert.ok(!formula.includes("musl"));
});

Deno.test("homebrewFormula installs binary, man pages and completions, with no version beside the URL", () => {
  const formula = homebrewFormula(sampleRelease());
  assert.match(formula, /^class Phyware < Formula$/m);
  assert.doesNotMatch(formula, /^ {2}version /m);
  assert.match(formula, /^ {2}license "MIT"$/m);
  assert.match(
    formula,
    /^ {2}def install\n {4}bin\.install "phyware"\n {4}man1\.install Dir\["man\/man1\/\*\.1"\]\n/m,
  );
  for (
    const line of [
      'bash_completion.install "completions/phyware.bash" => "phyware"',
      'zsh_completion.install "completions/_phyware"',
      'fish_completion.install "completions/phyware.fish"',
    ]
  ) {
    assert.ok(formula.includes(`    ${line}\n`), line);
  }
});

Deno.test("homebrewFormula's test starts a server and drives users invite and users list, not only --version", () => {
  const formula = homebrewFormula(sampleRelease());
  const test = formula.slice(formula.indexOf("  test do"));
  assert.match(
    test,
    /spawn\(\{ "PHYCLOUD_BOOTSTRAP_API_KEY" => key \}, \(bin\/"phyware"\)\.to_s, "server", "start"/,
  );
  assert.match(test, /--port", port\.to_s/);
  assert.match(test, /phyware users invite --email brew@example\.com -o json/);
  assert.match(test, /phyware users list -o json/);
  assert.match(test, /Process\.kill\("TERM", server\)/);
});

Deno.test("homebrewFormula stops with a clear message where no archive was built", () => {
  const release = sampleRelease();
  const formula = homebrewFormula({
    ...release,
    archives: release.archives.filter((a) => a.target.os !== "linux"),
  });
  assert.match(formula, /on_linux do\n {4}if Hardware::CPU\.arm\?\n {6}odie "phyware has no prebuilt binary/);
});
