import assert from "node:assert/strict";
import { archiveName, selectTargets, TARGETS } from "../../scripts/release/targets.ts";
import { hostBunPackages } from "../../scripts/release/bun_binary.ts";

Deno.test("archiveName follows phyware_<version>_<os>_<arch>[_musl] with .zip for Windows", () => {
  assert.deepEqual(TARGETS.map((t) => archiveName("0.1.0", t)), [
    "phyware_0.1.0_linux_x64.tar.gz",
    "phyware_0.1.0_linux_arm64.tar.gz",
    "phyware_0.1.0_linux_x64_musl.tar.gz",
    "phyware_0.1.0_linux_arm64_musl.tar.gz",
    "phyware_0.1.0_darwin_x64.tar.gz",
    "phyware_0.1.0_darwin_arm64.tar.gz",
    "phyware_0.1.0_windows_x64.zip",
  ]);
});

Deno.test("selectTargets keeps every target by default and rejects unknown ids", async (t) => {
  await t.step("default", () => assert.equal(selectTargets(undefined).length, 7));
  await t.step(
    "chosen",
    () => assert.deepEqual(selectTargets(["darwin-x64"]).map((x) => x.bunTarget), ["bun-darwin-x64"]),
  );
  await t.step("unknown", () => {
    assert.throws(
      () => selectTargets(["linux-riscv64"]),
      /Unknown target "linux-riscv64": expected one of linux-x64, /,
    );
  });
});

Deno.test("hostBunPackages names the @oven/bun package that runs on the host", () => {
  assert.deepEqual(hostBunPackages("linux", "x86_64"), [
    "bun-linux-x64",
    "bun-linux-x64-baseline",
    "bun-linux-x64-musl",
  ]);
  assert.deepEqual(hostBunPackages("darwin", "aarch64"), [
    "bun-darwin-aarch64",
    "bun-darwin-aarch64-baseline",
  ]);
  assert.deepEqual(hostBunPackages("windows", "x86_64"), ["bun-windows-x64"]);
});
