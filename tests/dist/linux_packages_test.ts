import assert from "node:assert/strict";
import { packageFiles, packageNames } from "../../scripts/release/linux_packages.ts";
import { TARGETS } from "../../scripts/release/targets.ts";

const text = (s: string) => new TextEncoder().encode(s);
const docs = [
  { name: "man/man1/phyware.1", mode: 0o644, data: text(".TH PHYWARE 1\n") },
  { name: "completions/phyware.bash", mode: 0o644, data: text("# bash\n") },
  { name: "completions/_phyware", mode: 0o644, data: text("#compdef phyware\n") },
  { name: "completions/phyware.fish", mode: 0o644, data: text("# fish\n") },
  { name: "completions/phyware.ps1", mode: 0o644, data: text("# ps\n") },
];

function input(id: string) {
  const target = TARGETS.find((t) => t.id === id);
  assert.ok(target);
  return {
    version: "1.2.3",
    target,
    binary: text("ELF"),
    docs,
    license: text("MIT\n\nText\n"),
    homepage: "https://x.test",
    mtime: 0,
  };
}

Deno.test("packageNames follow Debian's and RPM's conventions per architecture", () => {
  assert.deepEqual(packageNames("1.2.3", input("linux-x64").target), {
    deb: "phyware_1.2.3_amd64.deb",
    rpm: "phyware-1.2.3-1.x86_64.rpm",
  });
  assert.deepEqual(packageNames("1.2.3", input("linux-arm64").target), {
    deb: "phyware_1.2.3_arm64.deb",
    rpm: "phyware-1.2.3-1.aarch64.rpm",
  });
});

Deno.test("packageFiles put the binary in /usr/bin, gzipped man pages and completions in each family's paths", () => {
  assert.deepEqual(packageFiles(input("linux-x64"), "deb").map((f) => [f.name, f.mode.toString(8)]), [
    ["usr/bin/phyware", "755"],
    ["usr/share/man/man1/phyware.1.gz", "644"],
    ["usr/share/bash-completion/completions/phyware", "644"],
    ["usr/share/zsh/vendor-completions/_phyware", "644"],
    ["usr/share/fish/vendor_completions.d/phyware.fish", "644"],
    ["usr/share/lintian/overrides/phyware", "644"],
    ["usr/share/doc/phyware/copyright", "644"],
    ["usr/share/doc/phyware/changelog.gz", "644"],
  ]);
  const rpm = packageFiles(input("linux-arm64"), "rpm").map((f) => f.name);
  assert.ok(rpm.includes("usr/share/zsh/site-functions/_phyware"));
  assert.ok(rpm.includes("usr/share/licenses/phyware/LICENSE"));
  const man = packageFiles(input("linux-x64"), "deb")[1];
  assert.deepEqual([...(man?.data.subarray(0, 2) ?? [])], [0x1f, 0x8b]);
});

Deno.test("the Debian copyright file carries the license in machine-readable format", () => {
  const copyright = packageFiles(input("linux-x64"), "deb").find((f) => f.name.endsWith("/copyright"));
  const text = new TextDecoder().decode(copyright?.data);
  assert.match(
    text,
    /^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/,
  );
  assert.match(text, /\nLicense: Expat\n MIT\n \.\n Text\n$/);
});
