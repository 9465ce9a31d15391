import assert from "node:assert/strict";
import { join } from "node:path";
import { homebrewFormula } from "../../scripts/release/homebrew.ts";
import { needs } from "../support/programs.ts";
import { sampleRelease } from "./fixtures.ts";

/**
 * A stand-in for Homebrew's formula DSL, enough to load the generated formula in real Ruby on a chosen OS
 * and CPU and print the url and sha256 it picks, then run its install and test blocks against stubs.
 */
const HARNESS = `
$os, $arch = ARGV[1], ARGV[2]
module Hardware; module CPU; def self.arm?; $arch == "arm64"; end; def self.intel?; !arm?; end; end; end
class Bin; def install(name); puts "install #{name}"; end; def to_s; "/prefix/bin"; end; end
class Formula
  class << self
    attr_reader :picked
    def desc(v) = nil
    def homepage(v) = nil
    def license(v) = nil
    def version(v = nil) = (v ? @version = v : @version)
    def on_macos = ($os == "darwin" ? yield : nil)
    def on_linux = ($os == "linux" ? yield : nil)
    def url(v) = (@picked ||= {})[:url] = v
    def sha256(v) = (@picked ||= {})[:sha256] = v
    def test(&block) = @test = block
    def run_test(f) = f.instance_eval(&@test)
  end
  def version = self.class.version
  def bin = Bin.new
  def shell_output(cmd) = (puts "run #{cmd}"; "#{version}\\n")
  def assert_equal(a, b) = (raise "#{a.inspect} != #{b.inspect}" unless a == b; puts "assert ok")
end
def odie(message) = (puts "odie #{message}"; exit 0)
load ARGV[0]
puts Phyware.picked[:url], Phyware.picked[:sha256]
Phyware.new.install
Phyware.run_test(Phyware.new)
`;

Deno.test({
  name: "the formula, loaded by Ruby, picks each platform's archive, installs phyware and tests its version",
  ...needs(["ruby", "ruby"]),
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(join(dir, "phyware.rb"), homebrewFormula(sampleRelease()));
      await Deno.writeTextFile(join(dir, "harness.rb"), HARNESS);
      const cases = [
        { os: "darwin", arch: "arm64", file: "darwin_arm64", hash: "5" },
        { os: "darwin", arch: "x64", file: "darwin_x64", hash: "4" },
        { os: "linux", arch: "arm64", file: "linux_arm64", hash: "1" },
        { os: "linux", arch: "x64", file: "linux_x64", hash: "0" },
      ];
      for (const c of cases) {
        await t.step(`${c.os} ${c.arch}`, async () => {
          const out = await new Deno.Command("ruby", {
            args: [join(dir, "harness.rb"), join(dir, "phyware.rb"), c.os, c.arch],
            stdout: "piped",
            stderr: "piped",
          }).output();
          assert.equal(new TextDecoder().decode(out.stderr), "");
          assert.equal(
            new TextDecoder().decode(out.stdout),
            `https://example.test/dl/v1.2.3/phyware_1.2.3_${c.file}.tar.gz\n${c.hash.repeat(64)}\n` +
              `install phyware\nrun /prefix/bin/phyware --version\nassert ok\n`,
          );
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
