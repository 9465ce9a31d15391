/**
 * The .deb and .rpm of a linux (glibc) build, made with the distributions' own tools: `dpkg-deb` and
 * `rpmbuild` (Debian's `rpm` package). The binary goes to /usr/bin, the man pages (gzipped) and completions to
 * each family's paths. Timestamps come from SOURCE_DATE_EPOCH, so a rebuild gives the same files.
 */
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import type { ArchiveEntry } from "./archive_entry.ts";
import { gzip } from "./tar_gz.ts";
import type { Target } from "./targets.ts";

const SUMMARY = "Command-line tool for the PhyCloud service";
const DESCRIPTION = "phyware invites, lists, retrieves and deactivates the users of a PhyCloud\n" +
  "tenant, and runs the reference users service with an embedded SQLite database.";

/**
 * Lintian's findings that are right about the file and wrong for this program, each with the reason; the
 * overrides file is Debian's own way to say so, and lintian prints them as overridden ("O:"), not hidden.
 */
const LINTIAN_OVERRIDES =
  `# The program is a JavaScript bundle appended to the runtime's executable: strip would cut it off.
phyware: unstripped-binary-or-object [usr/bin/phyware]
# The runtime links its image decoder statically; phyware itself decodes no images.
phyware: embedded-library libjpeg [usr/bin/phyware]
`;
const MAINTAINER = "phyware maintainers <maintainers@phyware.invalid>";

/** What a package is built from. */
export interface PackageInput {
  version: string;
  target: Target;
  binary: Uint8Array;
  /** `man/man1/*.1` and `completions/*` entries (docs.ts). */
  docs: ArchiveEntry[];
  license: Uint8Array;
  homepage: string;
  /** SOURCE_DATE_EPOCH. */
  mtime: number;
}

/** Debian's and RPM's names for the CPU. */
export function packageArch(target: Target, family: "deb" | "rpm"): string {
  if (family === "deb") return target.arch === "x64" ? "amd64" : "arm64";
  return target.arch === "x64" ? "x86_64" : "aarch64";
}

/** The file names: `phyware_0.1.0_amd64.deb` and `phyware-0.1.0-1.x86_64.rpm`, as each family names them. */
export function packageNames(version: string, target: Target): { deb: string; rpm: string } {
  return {
    deb: `phyware_${version}_${packageArch(target, "deb")}.deb`,
    rpm: `phyware-${version}-1.${packageArch(target, "rpm")}.rpm`,
  };
}

/** Installed path of each file of the package, for one family. */
export function packageFiles(input: PackageInput, family: "deb" | "rpm"): ArchiveEntry[] {
  const completion = (name: string) => input.docs.find((d) => d.name === `completions/${name}`)?.data;
  const files: ArchiveEntry[] = [{ name: "usr/bin/phyware", mode: 0o755, data: input.binary }];
  for (const doc of input.docs) {
    if (!doc.name.startsWith("man/man1/")) continue;
    files.push({ name: `usr/share/${doc.name}.gz`, mode: 0o644, data: gzip(doc.data) });
  }
  const shells: [string, string][] = [
    ["phyware.bash", "usr/share/bash-completion/completions/phyware"],
    // Debian reads zsh functions from vendor-completions; Fedora and SUSE from site-functions.
    [
      "_phyware",
      family === "deb"
        ? "usr/share/zsh/vendor-completions/_phyware"
        : "usr/share/zsh/site-functions/_phyware",
    ],
    ["phyware.fish", "usr/share/fish/vendor_completions.d/phyware.fish"],
  ];
  for (const [name, path] of shells) {
    const data = completion(name);
    if (!data) throw new Error(`Cannot package: no completions/${name} among the generated files`);
    files.push({ name: path, mode: 0o644, data });
  }
  if (family === "deb") {
    files.push({
      name: "usr/share/lintian/overrides/phyware",
      mode: 0o644,
      data: new TextEncoder().encode(LINTIAN_OVERRIDES),
    });
    files.push({ name: "usr/share/doc/phyware/copyright", mode: 0o644, data: debianCopyright(input) });
    const changelog =
      `phyware (${input.version}) unstable; urgency=medium\n\n  * Release ${input.version}.\n\n` +
      ` -- ${MAINTAINER}  ${new Date(input.mtime * 1000).toUTCString().replace("GMT", "+0000")}\n`;
    files.push({
      name: "usr/share/doc/phyware/changelog.gz",
      mode: 0o644,
      data: gzip(new TextEncoder().encode(changelog)),
    });
  } else {
    files.push({ name: "usr/share/licenses/phyware/LICENSE", mode: 0o644, data: input.license });
  }
  return files;
}

function debianCopyright(input: PackageInput): Uint8Array {
  const license = new TextDecoder().decode(input.license).trim().split("\n")
    .map((line) => line.trim() === "" ? " ." : ` ${line}`).join("\n");
  return new TextEncoder().encode(
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n" +
      `Upstream-Name: phyware\nSource: ${input.homepage}\n\n` +
      `Files: *\nCopyright: phyware authors\nLicense: Expat\n${license}\n`,
  );
}

async function layOut(root: string, files: ArchiveEntry[], mtime: number): Promise<void> {
  for (const file of files) {
    const path = join(root, file.name);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeFile(path, file.data);
    await Deno.chmod(path, file.mode);
  }
  // Directories and files alike carry the release time, not the build's.
  const stamp = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) {
        await Deno.chmod(path, 0o755);
        await stamp(path);
      }
      await Deno.utime(path, mtime, mtime);
    }
  };
  await stamp(root);
}

async function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`${cmd} failed: ${text.trim().slice(-800)}`);
  }
}

/** Builds the .deb with dpkg-deb into `outFile`. */
export async function buildDeb(input: PackageInput, work: string, outFile: string): Promise<void> {
  const root = join(work, "deb");
  const files = packageFiles(input, "deb");
  await layOut(root, files, input.mtime);
  const md5 =
    files.map((f) => `${createHash("md5").update(f.data).digest("hex")}  ${f.name}`).sort().join("\n") +
    "\n";
  const installedKiB = Math.ceil(files.reduce((n, f) => n + f.data.length, 0) / 1024);
  const control = [
    "Package: phyware",
    `Version: ${input.version}`,
    `Architecture: ${packageArch(input.target, "deb")}`,
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedKiB}`,
    "Depends: libc6 (>= 2.17)",
    "Section: utils",
    "Priority: optional",
    `Homepage: ${input.homepage}`,
    `Description: ${SUMMARY.charAt(0).toLowerCase()}${SUMMARY.slice(1)}`,
    ...DESCRIPTION.split("\n").map((line) => ` ${line}`),
  ].join("\n") + "\n";
  await Deno.mkdir(join(root, "DEBIAN"));
  await Deno.writeTextFile(join(root, "DEBIAN", "control"), control);
  await Deno.writeTextFile(join(root, "DEBIAN", "md5sums"), md5);
  for (const name of ["control", "md5sums"]) {
    await Deno.utime(join(root, "DEBIAN", name), input.mtime, input.mtime);
  }
  await Deno.utime(join(root, "DEBIAN"), input.mtime, input.mtime);
  // gzip rather than xz: a 100 MiB binary takes a minute with xz, seconds with gzip.
  await run("dpkg-deb", ["--root-owner-group", "-Zgzip", "-z6", "--build", root, outFile], {
    SOURCE_DATE_EPOCH: String(input.mtime),
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  });
}

/** Builds the .rpm with rpmbuild into `outFile`; nothing is stripped (the bundle lives in the binary). */
export async function buildRpm(input: PackageInput, work: string, outFile: string): Promise<void> {
  const staged = join(work, "rpm-root");
  const files = packageFiles(input, "rpm");
  await layOut(staged, files, input.mtime);
  const top = join(work, "rpmbuild");
  await Deno.mkdir(join(top, "SPECS"), { recursive: true });
  const spec = `Name: phyware
Version: ${input.version}
Release: 1
Summary: ${SUMMARY}
License: MIT
URL: ${input.homepage}

%description
${DESCRIPTION}

%install
mkdir -p %{buildroot}
cp -a ${staged}/. %{buildroot}/

%files
${files.map((f) => (f.name.startsWith("usr/share/licenses/") ? "%license " : "") + `/${f.name}`).join("\n")}
`;
  await Deno.writeTextFile(join(top, "SPECS", "phyware.spec"), spec);
  const arch = packageArch(input.target, "rpm");
  await run("rpmbuild", [
    "-bb",
    "--target",
    `${arch}-linux`,
    "--define",
    `_topdir ${top}`,
    "--define",
    `_rpmdir ${dirname(outFile)}`,
    "--define",
    `_build_name_fmt ${outFile.slice(dirname(outFile).length + 1)}`,
    "--define",
    "debug_package %{nil}",
    "--define",
    "__os_install_post %{nil}",
    "--define",
    "__strip /bin/true",
    "--define",
    "_build_id_links none",
    "--define",
    "_binary_payload w6.gzdio",
    "--define",
    "use_source_date_epoch_as_buildtime 1",
    "--define",
    "clamp_mtime_to_source_date_epoch 1",
    "--define",
    "_buildhost phyware.invalid",
    join(top, "SPECS", "phyware.spec"),
  ], { SOURCE_DATE_EPOCH: String(input.mtime), PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: work });
}
