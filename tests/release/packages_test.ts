// The .deb and .rpm of each linux glibc build: metadata, exactly the expected files, no lintian error, and the
// packaged binary runs.
import assert from "node:assert/strict";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { docEntries } from "../../scripts/release/docs.ts";
import { packageFiles, packageNames } from "../../scripts/release/linux_packages.ts";
import { type Target, TARGETS } from "../../scripts/release/targets.ts";
import { tempDir } from "../support/temp_dir.ts";
import { assertSuccess, DIST, needsKit, readManifest, run } from "./kit.ts";

const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";
const GLIBC_LINUX = TARGETS.filter((t) => t.os === "linux" && t.libc === "gnu");

async function expected(target: Target, family: "deb" | "rpm"): Promise<string[]> {
  const docs = docEntries(VERSION, (await readManifest()).sourceDateEpoch);
  const input = {
    version: VERSION,
    target,
    binary: new Uint8Array(),
    docs,
    license: new Uint8Array(),
    homepage: "",
    mtime: 0,
  };
  return packageFiles(input, family).map((f) => `/${f.name}`).sort();
}

/** Runs a linux binary of either architecture on this x64 host: directly, or under qemu with a sysroot. */
function runLinux(binary: string, arch: string, args: string[]) {
  return arch === "x64"
    ? run(binary, args, { env: {} })
    : run("qemu-aarch64-static", ["-L", ARM64_SYSROOT, binary, ...args], { env: {} });
}

for (const target of GLIBC_LINUX) {
  const names = packageNames(VERSION, target);
  Deno.test({
    name: `${target.id}: ${names.deb} holds /usr/bin/phyware, man pages, completions; its binary runs`,
    ...needsKit(["dpkg-deb", "dpkg"], ["tar", "tar"], ["qemu-aarch64-static", "qemu-user-static"]),
    fn: async () => {
      const deb = join(DIST, names.deb);
      const info = await run("dpkg-deb", ["-f", deb, "Package", "Version", "Architecture"]);
      assertSuccess(info, "dpkg-deb -f");
      const arch = target.arch === "x64" ? "amd64" : "arm64";
      assert.equal(info.stdout, `Package: phyware\nVersion: ${VERSION}\nArchitecture: ${arch}\n`);
      const contents = await run("sh", [
        "-c",
        `dpkg-deb --fsys-tarfile "$1" | tar -t | grep -v '/$' | sed 's#^\\.##' | sort`,
        "sh",
        deb,
      ]);
      assertSuccess(contents, "dpkg-deb --fsys-tarfile | tar -t");
      assert.deepEqual(contents.stdout.trim().split("\n"), await expected(target, "deb"));
      // Unpacked the way dpkg lays it out, then run from there.
      await using root = await tempDir("phyware-deb-");
      assertSuccess(await run("dpkg-deb", ["-x", deb, root.path]), "dpkg-deb -x");
      const version = await runLinux(join(root.path, "usr", "bin", "phyware"), target.arch, ["--version"]);
      assertSuccess(version, "phyware --version from the .deb");
      assert.equal(version.stdout, `${VERSION}\n`);
    },
  });

  Deno.test({
    name: `${target.id}: rpm -qlp ${names.rpm} lists the expected files, name, version, arch and license`,
    ...needsKit(["rpm", "rpm"]),
    fn: async () => {
      const rpm = join(DIST, names.rpm);
      const list = await run("rpm", ["-qlp", rpm]);
      assertSuccess(list, "rpm -qlp");
      assert.deepEqual(list.stdout.trim().split("\n").sort(), await expected(target, "rpm"));
      const query = await run("rpm", ["-qp", "--qf", "%{NAME} %{VERSION} %{ARCH} %{LICENSE}", rpm]);
      assertSuccess(query, "rpm -qp");
      assert.equal(query.stdout, `phyware ${VERSION} ${target.arch === "x64" ? "x86_64" : "aarch64"} MIT`);
    },
  });
}

Deno.test({
  name: "lintian reports no error on the .deb packages",
  ...needsKit(["lintian", "lintian"]),
  fn: async () => {
    const debs = GLIBC_LINUX.map((t) => join(DIST, packageNames(VERSION, t).deb));
    const outs = await Promise.all(debs.map((deb) => run("lintian", ["--tag-display-limit", "0", deb])));
    // lintian fails on an error tag, and on a package it cannot read.
    for (const [i, out] of outs.entries()) assertSuccess(out, `lintian ${debs[i]}`);
    const lines = outs.flatMap((o) => o.stdout.split("\n")).filter((l) => /^[EWIO]: /.test(l));
    assert.deepEqual(lines.filter((l) => l.startsWith("E: ")), []);
  },
});
