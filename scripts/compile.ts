#!/usr/bin/env -S deno run -A
/**
 * Builds the release kit into dist/: one standalone phyware executable per target, archived with LICENSE,
 * README.md, man pages and shell completions; for each linux (glibc) target a .deb, an .rpm and an OCI image
 * archive; plus sbom.cdx.json, checksums.txt, the Homebrew formula, the Scoop manifest, install.sh and
 * manifest.json.
 *
 *   deno task compile [--engine auto|deno|bun] [--target ID]... [--out DIR] [--base-url URL] [--homepage URL]
 *
 * Two runs on the same commit give the same bytes: archive timestamps come from SOURCE_DATE_EPOCH or the
 * commit time, never the clock.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../src/version.ts";
import { findBun } from "./release/bun_binary.ts";
import { buildWithBun, buildWithDeno, denortAvailable, type Engine } from "./release/engines.ts";
import { archiveName, selectTargets, type Target } from "./release/targets.ts";
import type { ArchiveEntry } from "./release/archive_entry.ts";
import { packInWorker } from "./release/pack.ts";
import { formatChecksums, sha256Hex } from "./release/checksums.ts";
import { signAdhoc, verifyMachoSignature } from "./release/macho_signature.ts";
import type { ReleaseArchive, ReleaseInfo } from "./release/release_info.ts";
import { homebrewFormula } from "./release/homebrew.ts";
import { scoopManifest } from "./release/scoop.ts";
import { type ArtifactRecord, formatManifest } from "./release/manifest.ts";
import { docEntries } from "./release/docs.ts";
import { ROUTES } from "../src/server/routes/table.ts";
import { buildOpenApi } from "../src/server/spec/openapi.ts";
import { buildDeb, buildRpm, packageNames } from "./release/linux_packages.ts";
import { buildImage, imageName } from "./release/oci_image.ts";
import { bundledPackages, formatSbom, type Runtime } from "./release/sbom.ts";
import { buildInfo, withBuildInfo } from "./release/build_info.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_HOMEPAGE = "https://github.com/phyware/phyware";
const DEFAULT_BASE_URL = `${DEFAULT_HOMEPAGE}/releases/download/v{version}`;

const USAGE = `Usage: deno task compile [options]

Options:
  --engine auto|deno|bun  compiler to use (default auto: deno when its runtime is available, else bun)
  --target ID             build only this target (repeatable): ${
  selectTargets(undefined).map((t) => t.id).join(", ")
}
  --out DIR               output directory (default dist)
  --base-url URL          download URL of the release files; {version} is replaced (default ${DEFAULT_BASE_URL})
  --homepage URL          project home page (default ${DEFAULT_HOMEPAGE})
`;

function log(line: string): void {
  console.error(line);
}

async function sourceDateEpoch(): Promise<number> {
  const fromEnv = Deno.env.get("SOURCE_DATE_EPOCH");
  if (fromEnv) {
    const value = Number(fromEnv);
    if (!Number.isInteger(value) || value < 0) throw new Error(`Invalid SOURCE_DATE_EPOCH "${fromEnv}"`);
    return value;
  }
  try {
    const out = await new Deno.Command("git", {
      args: ["log", "-1", "--format=%ct"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    const value = Number(new TextDecoder().decode(out.stdout).trim());
    if (out.success && Number.isInteger(value) && value > 0) return value;
  } catch {
    // No git: fall through to the zip epoch.
  }
  return 315532800;
}

/** Names of the files a build writes; only these are removed from the output directory beforehand. */
const OUTPUT_FILE =
  /^(phyware[_-].+\.(tar\.gz|zip|deb|rpm|oci\.tar)|checksums\.txt|sbom\.cdx\.json|phyware\.rb|phyware\.json|install\.sh|manifest\.json)$/;

/** Whether a program is on PATH. */
async function onPath(program: string): Promise<boolean> {
  const out = await new Deno.Command("sh", { args: ["-c", `command -v ${program}`], stdout: "null" })
    .output();
  return out.success;
}

async function gitRevision(): Promise<string> {
  try {
    const out = await new Deno.Command("git", {
      args: ["rev-parse", "HEAD"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    })
      .output();
    const rev = new TextDecoder().decode(out.stdout).trim();
    if (out.success && /^[0-9a-f]{40}$/.test(rev)) return rev;
  } catch {
    // No git.
  }
  return "unknown";
}

async function clearOutputs(out: string): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  // Old archives would otherwise linger beside a new checksums.txt; anything else in the directory stays.
  for await (const entry of Deno.readDir(out)) {
    if (entry.isFile && OUTPUT_FILE.test(entry.name)) await Deno.remove(join(out, entry.name));
  }
}

/** Bun bundles from node_modules, which `deno install` fills from package.json and deno.lock. */
async function ensureNodeModules(): Promise<void> {
  if (existsSync(join(ROOT, "node_modules", "commander", "package.json"))) return;
  log("node_modules is missing: running deno install");
  const out = await new Deno.Command(Deno.execPath(), { args: ["install"], cwd: ROOT, stdout: "null" })
    .output();
  if (!out.success) throw new Error("deno install failed: run it by hand and retry");
}

async function chooseEngine(requested: string, target: Target): Promise<Engine> {
  if (requested === "bun") return "bun";
  if (requested === "deno") {
    if (!target.denoTarget) throw new Error(`Cannot build "${target.id}" with deno: Deno has no such target`);
    return "deno";
  }
  return await denortAvailable(target) ? "deno" : "bun";
}

/** Checks a darwin binary's page hashes; re-signs ad hoc when they do not match, and re-checks. */
function ensureDarwinSignature(binary: Uint8Array, target: Target): { bytes: Uint8Array; signature: string } {
  const report = verifyMachoSignature(binary);
  if (report.valid) return { bytes: binary, signature: "as built (valid)" };
  const bad = report.directories.reduce((n, d) => n + d.badPages.length, 0);
  log(`  ${target.id}: code signature invalid (${bad} page hashes differ; ${report.problems.join("; ")})`);
  const signed = signAdhoc(binary, "phyware");
  const again = verifyMachoSignature(signed);
  if (!again.valid) throw new Error(`Re-signing "${target.id}" did not produce a valid signature`);
  log(`  ${target.id}: re-signed ad hoc, all ${again.directories[0]?.codeSlots} page hashes verify`);
  return { bytes: signed, signature: "re-signed ad hoc (built signature was invalid)" };
}

interface BuildSettings {
  bun: string | undefined;
  bunVersion: string;
  work: string;
  out: string;
  mtime: number;
  shared: ArchiveEntry[];
  /** Whether dpkg-deb, rpmbuild and readelf are here to build the linux packages and images. */
  packaging: boolean;
  homepage: string;
  revision: string;
}

/** One more release file (package or image) and its checksum. */
interface ExtraFile {
  name: string;
  sha256: string;
}

/** The .deb, .rpm and OCI image of a linux glibc build, written into the output directory. */
async function buildLinuxPackages(
  target: Target,
  binaryPath: string,
  binary: Uint8Array,
  settings: BuildSettings,
): Promise<ExtraFile[]> {
  const work = join(dirname(binaryPath), "packages");
  await Deno.mkdir(work);
  const input = {
    version: VERSION,
    target,
    binary,
    docs: settings.shared.filter((e) => e.name.startsWith("man/") || e.name.startsWith("completions/")),
    license: await Deno.readFile(join(ROOT, "LICENSE")),
    homepage: settings.homepage,
    mtime: settings.mtime,
  };
  const names = packageNames(VERSION, target);
  await Promise.all([
    buildDeb(input, work, join(settings.out, names.deb)),
    buildRpm(input, work, join(settings.out, names.rpm)),
  ]);
  const image = await buildImage({ ...input, binaryPath, revision: settings.revision });
  const oci = imageName(VERSION, target);
  await Deno.writeFile(join(settings.out, oci), image.bytes);
  log(`  ${target.id}: ${names.deb}, ${names.rpm}, ${oci} (image ${image.digest})`);
  const files: ExtraFile[] = [];
  for (const name of [names.deb, names.rpm, oci]) {
    files.push({ name, sha256: sha256Hex(await Deno.readFile(join(settings.out, name))) });
  }
  return files;
}

interface Built {
  archive: ReleaseArchive;
  record: ArtifactRecord;
  extra: ExtraFile[];
}

/** Compiles one target, checks or fixes its signature, and writes its archive into the output directory. */
async function buildTarget(target: Target, engine: Engine, settings: BuildSettings): Promise<Built> {
  const t0 = performance.now();
  const binaryPath = join(settings.work, target.id, target.binary);
  await Deno.mkdir(dirname(binaryPath), { recursive: true });
  if (engine === "bun") {
    await buildWithBun(settings.bun as string, ROOT, "main.ts", target, binaryPath);
  } else {
    await buildWithDeno(ROOT, "main.ts", target, binaryPath);
  }
  let binary: Uint8Array = await Deno.readFile(binaryPath);
  let signature: string | undefined;
  if (target.os === "darwin") ({ bytes: binary, signature } = ensureDarwinSignature(binary, target));
  const binarySize = binary.length;
  const entries = [...settings.shared, { name: target.binary, mode: 0o755, data: binary }];
  // The archive compresses in its worker while the packages and the image are built.
  const packing = packInWorker({ kind: target.archive, entries, mtime: settings.mtime });
  packing.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
  const linuxGnu = target.os === "linux" && target.libc === "gnu" && settings.packaging;
  const extra = linuxGnu ? await buildLinuxPackages(target, binaryPath, binary, settings) : [];
  const archive = await packing;
  await Deno.remove(dirname(binaryPath), { recursive: true });
  const name = archiveName(VERSION, target);
  await Deno.writeFile(join(settings.out, name), archive);
  const sha256 = sha256Hex(archive);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const mb = (n: number) => (n / 1048576).toFixed(1);
  log(
    `  ${target.id}: ${engine}, binary ${mb(binarySize)} MiB, ${name} ${mb(archive.length)} MiB, ${seconds}s`,
  );
  return {
    archive: { target, name, sha256 },
    record: {
      target: target.id,
      engine,
      engineVersion: engine === "bun" ? settings.bunVersion : Deno.version.deno,
      archive: name,
      sha256,
      archiveSize: archive.length,
      binarySize,
      ...(signature ? { signature } : {}),
      ...(extra.length > 0 ? { packages: extra.map((e) => e.name) } : {}),
    },
    extra,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      engine: { type: "string", default: "auto" },
      target: { type: "string", multiple: true },
      out: { type: "string", default: join(ROOT, "dist") },
      "base-url": { type: "string", default: DEFAULT_BASE_URL },
      homepage: { type: "string", default: DEFAULT_HOMEPAGE },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!["auto", "deno", "bun"].includes(values.engine)) {
    throw new Error(`Invalid --engine "${values.engine}": expected auto, deno or bun`);
  }
  const targets = selectTargets(values.target?.flatMap((t) => t.split(",")));
  const out = values.out;
  const mtime = await sourceDateEpoch();
  const pkg = JSON.parse(await Deno.readTextFile(join(ROOT, "package.json"))) as {
    devDependencies?: Record<string, string>;
  };
  const bunVersion = pkg.devDependencies?.["bun"];
  if (!bunVersion) throw new Error("Cannot find the Bun version: package.json has no devDependencies.bun");

  const shared: ArchiveEntry[] = [
    { name: "LICENSE", mode: 0o644, data: await Deno.readFile(join(ROOT, "LICENSE")) },
    { name: "README.md", mode: 0o644, data: await Deno.readFile(join(ROOT, "README.md")) },
    ...docEntries(VERSION, mtime),
  ];
  await ensureNodeModules();
  await clearOutputs(out);
  const work = await Deno.makeTempDir({ prefix: "phyware-compile-" });
  const started = performance.now();
  log(`phyware ${VERSION}: building ${targets.length} target(s) into ${out} (mtime ${mtime})`);
  const engines = new Map<Target, Engine>();
  for (const target of targets) engines.set(target, await chooseEngine(values.engine, target));
  const bun = [...engines.values()].includes("bun") ? await findBun(ROOT, bunVersion, log) : undefined;
  const packaging = (await Promise.all(["dpkg-deb", "rpmbuild", "readelf"].map(onPath))).every(Boolean);
  if (!packaging && targets.some((t) => t.os === "linux" && t.libc === "gnu")) {
    log("Skipping .deb, .rpm and OCI images: needs dpkg-deb (dpkg), rpmbuild (rpm) and readelf (binutils)");
  }
  const build: BuildSettings = {
    bun,
    bunVersion,
    work,
    out,
    mtime,
    shared,
    packaging,
    homepage: values.homepage,
    revision: await gitRevision(),
  };
  const built: Built[] = [];
  // The binaries embed src/build_info.json: `phyware version` then names the commit and the source date.
  const stamp = buildInfo(build.revision, mtime);
  try {
    // Each target's compile is a subprocess and its compression runs in a worker, so targets overlap.
    const queue = [...targets];
    const lanes = Math.max(1, Math.min(3, navigator.hardwareConcurrency));
    await withBuildInfo(
      join(ROOT, "src", "build_info.json"),
      stamp,
      () =>
        Promise.all(Array.from({ length: lanes }, async () => {
          for (let target = queue.shift(); target; target = queue.shift()) {
            try {
              built.push(await buildTarget(target, engines.get(target) as Engine, build));
            } catch (error) {
              queue.length = 0; // the other lanes finish their current target and stop
              throw error;
            }
          }
        })),
    );
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  built.sort((a, b) => targets.indexOf(a.archive.target) - targets.indexOf(b.archive.target));
  const archives = built.map((b) => b.archive);
  const records = built.map((b) => b.record);

  const runtimes: (Runtime & { targets: string[] })[] = [];
  for (const record of records) {
    const known = runtimes.find((r) => r.engine === record.engine && r.version === record.engineVersion);
    if (known) known.targets.push(record.target);
    else runtimes.push({ engine: record.engine, version: record.engineVersion, targets: [record.target] });
  }
  // The npm packages inside the binaries, as Bun's bundler resolves main.ts's imports.
  const sbomWork = await Deno.makeTempDir({ prefix: "phyware-sbom-" });
  try {
    const bunForSbom = bun ?? await findBun(ROOT, bunVersion, log);
    const packages = await bundledPackages(bunForSbom, ROOT, sbomWork);
    await Deno.writeTextFile(join(out, "sbom.cdx.json"), formatSbom(VERSION, mtime, runtimes, packages));
  } finally {
    await Deno.remove(sbomWork, { recursive: true }).catch(() => {});
  }
  const sums = new Map(archives.map((a) => [a.name, a.sha256]));
  for (const file of built.flatMap((b) => b.extra)) sums.set(file.name, file.sha256);
  sums.set("sbom.cdx.json", sha256Hex(await Deno.readFile(join(out, "sbom.cdx.json"))));
  await Deno.writeTextFile(join(out, "checksums.txt"), formatChecksums(sums));
  const info: ReleaseInfo = {
    version: VERSION,
    baseUrl: values["base-url"],
    homepage: values.homepage,
    archives,
  };
  if (archives.some((a) => a.target.os !== "windows")) {
    await Deno.writeTextFile(join(out, "phyware.rb"), homebrewFormula(info));
  }
  if (archives.some((a) => a.target.os === "windows")) {
    await Deno.writeTextFile(join(out, "phyware.json"), scoopManifest(info));
  }
  // The API's OpenAPI document, as `GET /openapi.json` serves it: built from the same route table.
  await Deno.writeTextFile(join(out, "openapi.json"), JSON.stringify(buildOpenApi(ROUTES), null, 2) + "\n");
  await Deno.copyFile(join(ROOT, "scripts", "install.sh"), join(out, "install.sh"));
  await Deno.chmod(join(out, "install.sh"), 0o755);
  await Deno.writeTextFile(join(out, "manifest.json"), formatManifest(VERSION, mtime, records));
  log(`Done in ${((performance.now() - started) / 1000).toFixed(1)}s; checksums:`);
  console.log(formatChecksums(sums).trimEnd());
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main();
  } catch (error) {
    log(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exitCode = 1;
  }
}
