# A stand-in for Homebrew's formula DSL, enough to load a generated formula in real Ruby on a chosen OS and
# CPU, print the url and sha256 it picks, run its install block against stubs that print what they install,
# and run its test block for real: `bin` is the folder given as the fourth argument, `testpath` a new folder.
# Usage: ruby homebrew_harness.rb FORMULA OS ARCH BIN_DIR
require "pathname"
require "socket"
require "tmpdir"

$os, $arch, $bin = ARGV[1], ARGV[2], Pathname.new(ARGV[3])
module Hardware; module CPU; def self.arm? = $arch == "arm64"; def self.intel? = !arm?; end; end
class Installer
  def initialize(name) = @name = name
  def install(*files)
    files.flatten.each do |file|
      if file.is_a?(Hash) then file.each { |from, to| puts "#{@name}.install #{from} => #{to}" }
      else puts "#{@name}.install #{file}"
      end
    end
  end
end
class Formula
  class << self
    attr_reader :picked
    def desc(v) = nil
    def homepage(v) = nil
    def license(v) = nil
    def version(v = nil) = (v ? raise("explicit version #{v}: the URL carries it") : @picked[:url][/_(\d+\.\d+\.\d+)_/, 1])
    def on_macos = ($os == "darwin" ? yield : nil)
    def on_linux = ($os == "linux" ? yield : nil)
    def url(v) = (@picked ||= {})[:url] = v
    def sha256(v) = (@picked ||= {})[:sha256] = v
    def test(&block) = @test = block
    def run_test(f) = Dir.mktmpdir { |dir| f.instance_variable_set(:@testpath, Pathname.new(dir)); f.instance_eval(&@test) }
  end
  def version = self.class.version
  def bin = (@installing ? Installer.new("bin") : $bin)
  def man1 = Installer.new("man1")
  def bash_completion = Installer.new("bash_completion")
  def zsh_completion = Installer.new("zsh_completion")
  def fish_completion = Installer.new("fish_completion")
  def testpath = @testpath
  def free_port = TCPServer.open("127.0.0.1", 0) { |server| server.addr[1] }
  def shell_output(cmd, result = 0)
    output = `#{cmd}`
    raise "#{cmd} exited #{$?.exitstatus}, expected #{result}: #{output}" unless $?.exitstatus == result
    output
  end
  def assert_equal(a, b) = (raise "#{a.inspect} != #{b.inspect}" unless a == b; puts "assert_equal ok")
  def assert_match(a, b) = (raise "#{b.inspect} !~ #{a.inspect}" unless b.match?(a); puts "assert_match ok")
  def run_install = (@installing = true; install; @installing = false)
end
def odie(message) = (puts "odie #{message}"; exit 0)
load ARGV[0]
puts Phyware.picked[:url], Phyware.picked[:sha256]
Phyware.new.run_install
Phyware.run_test(Phyware.new)
puts "test ok"
