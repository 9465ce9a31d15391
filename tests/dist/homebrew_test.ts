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

Deno.test("homebrewFormula installs the binary and tests phyware --version", () => {
  const formula = homebrewFormula(sampleRelease());
  assert.match(formula, /^class Phyware < Formula$/m);
  assert.match(formula, /^ {2}version "1\.2\.3"$/m);
  assert.match(formula, /^ {2}license "MIT"$/m);
  assert.match(formula, /^ {2}def install\n {4}bin\.install "phyware"\n {2}end$/m);
  assert.match(
    formula,
    /^ {2}test do\n {4}assert_equal "#\{version\}\\n", shell_output\("#\{bin\}\/phyware --version"\)\n {2}end$/m,
  );
});

Deno.test("homebrewFormula stops with a clear message where no archive was built", () => {
  const release = sampleRelease();
  const formula = homebrewFormula({
    ...release,
    archives: release.archives.filter((a) => a.target.os !== "linux"),
  });
  assert.match(formula, /on_linux do\n {4}if Hardware::CPU\.arm\?\n {6}odie "phyware has no prebuilt binary/);
});
