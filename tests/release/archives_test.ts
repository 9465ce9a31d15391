// The archives of the release kit: every target built, named and hashed as checksums.txt says, holding the
// binary, LICENSE, README, man pages and completions this tree generates; each binary of the right format
// and architecture, carrying the phyware program, linking only the expected libraries, and (darwin) signed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { sha256Hex } from "../../scripts/release/checksums.ts";
import { docEntries } from "../../scripts/release/docs.ts";
import { interpreter, neededLibraries, newestGlibc } from "../../scripts/release/elf_facts.ts";
import { verifyMachoSignature } from "../../scripts/release/macho_signature.ts";
import { archiveName, TARGETS } from "../../scripts/release/targets.ts";
import { tempDir } from "../support/temp_dir.ts";
import { assertSuccess, DIST, needsKit, readChecksums, readManifest, run, unpack } from "./kit.ts";

const GLIBC_LIBS =
  /^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|ld-linux-(x86-64|aarch64)\.so\.[12])$/;
const MUSL_LIBS = /^(libc\.musl-(x86_64|aarch64)\.so\.1|libstdc\+\+\.so\.6|libgcc_s\.so\.1)$/;

const FILE_PATTERNS: Record<string, RegExp> = {
  "linux-x64":
    /ELF 64-bit LSB (pie )?executable, x86-64.*interpreter \/lib64\/ld-linux-x86-64\.so\.2.*not stripped/,
  "linux-arm64":
    /ELF 64-bit LSB (pie )?executable, ARM aarch64.*interpreter \/lib\/ld-linux-aarch64\.so\.1.*not stripped/,
  "linux-x64-musl":
    /ELF 64-bit LSB (pie )?executable, x86-64.*interpreter \/lib\/ld-musl-x86_64\.so\.1.*not stripped/,
  "linux-arm64-musl":
    /ELF 64-bit LSB (pie )?executable, ARM aarch64.*interpreter \/lib\/ld-musl-aarch64\.so\.1.*not stripped/,
  "darwin-x64": /Mach-O 64-bit x86_64 executable/,
  "darwin-arm64": /Mach-O 64-bit arm64 executable/,
  "windows-x64": /PE32\+ executable \(console\) x86-64.*MS Windows/,
};

/** Strings from phyware's own source that its bundle must contain. */
const PROGRAM_MARKERS = ["phyware server listening on", "Command-line tool for the PhyCloud service"];

Deno.test({
  name: "the kit has every target, the package.json version, and checksums.txt lists exactly its files",
  ...needsKit(),
  fn: async () => {
    const manifest = await readManifest();
    assert.equal(manifest.version, VERSION);
    assert.deepEqual(manifest.artifacts.map((a) => a.target).sort(), TARGETS.map((t) => t.id).sort());
    for (const t of TARGETS.filter((t) => t.os === "linux" && t.libc === "gnu")) {
      assert.ok(
        manifest.artifacts.find((a) => a.target === t.id)?.packages?.length,
        `${t.id}: no .deb, .rpm or image was built (dpkg-deb and rpmbuild must be installed)`,
      );
    }
    const sums = await readChecksums();
    const built = [...manifest.artifacts.flatMap((a) => [a.archive, ...(a.packages ?? [])]), "sbom.cdx.json"];
    assert.deepEqual([...sums.keys()].sort(), built.sort());
  },
});

Deno.test({
  name: "sha256sum -c --strict checksums.txt",
  ...needsKit(["sha256sum", "coreutils"]),
  fn: async () => {
    assertSuccess(await run("sha256sum", ["-c", "--strict", "checksums.txt"], { cwd: DIST }), "sha256sum -c");
  },
});

for (const t of TARGETS) {
  Deno.test({
    name: `${t.id}: the archive and the binary in it`,
    ...needsKit(["unzip", "unzip"], ["tar", "tar"], ["file", "file"], ["readelf", "binutils"]),
    fn: async (step) => {
      const manifest = await readManifest();
      const artifact = manifest.artifacts.find((a) => a.target === t.id);
      assert.ok(artifact, `${t.id} was not built`);
      await using dir = await tempDir("phyware-release-");
      const { entries, binary } = await unpack(t.id, dir.path);

      await step.step(
        "named and hashed as checksums.txt says, with the man pages and completions of this tree",
        async () => {
          assert.equal(artifact.archive, archiveName(VERSION, t));
          const sums = await readChecksums();
          assert.equal(
            sha256Hex(await Deno.readFile(join(DIST, artifact.archive))),
            sums.get(artifact.archive),
          );
          const docs = docEntries(VERSION, manifest.sourceDateEpoch);
          assert.deepEqual(
            entries.sort(),
            [
              t.binary,
              "LICENSE",
              "README.md",
              ...docs.map((d) => d.name),
            ].sort(),
          );
          for (const doc of docs) {
            const data = await Deno.readFile(join(dir.path, doc.name));
            assert.equal(
              sha256Hex(data),
              sha256Hex(doc.data),
              `${doc.name} differs from the one this tree generates`,
            );
          }
          const mode = (await Deno.stat(binary)).mode ?? 0;
          assert.ok(t.os === "windows" || (mode & 0o111) !== 0, "the binary is not executable");
        },
      );

      await step.step(
        "file(1) says the right format and architecture, and the binary carries phyware",
        async () => {
          const out = await run("file", ["-b", binary]);
          assertSuccess(out, "file");
          assert.match(out.stdout, FILE_PATTERNS[t.id] as RegExp);
          // Binaries that cannot run here (darwin, windows, musl) still must carry the bundle: a stripped or
          // truncated build loses it and becomes a bare runtime.
          const bytes = new TextDecoder("latin1").decode(await Deno.readFile(binary));
          for (const marker of PROGRAM_MARKERS) {
            assert.ok(bytes.includes(marker), `no "${marker}" in the binary`);
          }
        },
      );

      if (t.os === "linux") {
        await step.step("links only the expected libraries", async () => {
          const needed = await neededLibraries(binary);
          const allowed = t.libc === "musl" ? MUSL_LIBS : GLIBC_LIBS;
          assert.deepEqual(
            needed.filter((lib) => !allowed.test(lib)),
            [],
            "unexpected libraries",
          );
          assert.ok(await interpreter(binary));
          if (t.libc !== "musl") assert.match(await newestGlibc(binary) ?? "", /^2\.\d+$/);
        });
      }

      if (t.os === "darwin") {
        await step.step("every code page hash in LC_CODE_SIGNATURE verifies", async () => {
          const report = verifyMachoSignature(await Deno.readFile(binary));
          assert.equal(report.valid, true, report.problems.join("; "));
        });
      }
    },
  });
}
