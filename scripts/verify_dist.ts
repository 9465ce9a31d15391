#!/usr/bin/env -S deno run -A
/**
 * Proves each artifact in dist/ works: checksums, archive contents, binary format and architecture, linked
 * libraries, darwin code signatures, the linux x64 binary in a minimal read-only root (version, help, server,
 * users list, `.env` rules), the linux arm64 binary under qemu, and install.sh from a loopback server.
 *
 *   deno task verify-dist [--dist DIR]
 *
 * Needs: tar, unzip, file, readelf (binutils), ldd, bwrap (bubblewrap), qemu-aarch64-static and Debian's
 * arm64 libc (libc6-arm64-cross), curl or wget, sha256sum. Prints one line per check and ends with
 * "N passed, N failed"; exits 1 when a check fails.
 */
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../src/version.ts";
import { parseChecksums, sha256Hex } from "./release/checksums.ts";
import { verifyMachoSignature } from "./release/macho_signature.ts";
import { archiveName, type Target, TARGETS } from "./release/targets.ts";
import { interpreter, neededLibraries, newestGlibc } from "./release/elf_facts.ts";
import { buildMinimalRoot, bwrapArgs } from "./release/sandbox.ts";
import { docEntries } from "./release/docs.ts";
import { packageFiles, packageNames } from "./release/linux_packages.ts";
import { buildImage, IMAGE_USER, imageName } from "./release/oci_image.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const GLIBC_LIBS =
  /^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|ld-linux-(x86-64|aarch64)\.so\.[12])$/;
const MUSL_LIBS = /^(libc\.musl-(x86_64|aarch64)\.so\.1|libstdc\+\+\.so\.6|libgcc_s\.so\.1)$/;
const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";
/** An API key of the shape the server accepts; used only against a throwaway local server. */
const ADMIN_KEY = `phy_${"verifydist".repeat(4)}`;
/** A second well-formed key, placed only in a `.env` file that phyware must not use as the bootstrap key. */
const DOTENV_KEY = `phy_${"dotenvonly".repeat(4)}`;

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

type Outcome = { skip: string } | string | void;
const results: { name: string; status: "ok" | "FAIL" | "skip"; detail: string }[] = [];

async function check(name: string, fn: () => Promise<Outcome>): Promise<boolean> {
  const t0 = performance.now();
  try {
    const outcome = await fn();
    const ms = `${Math.round(performance.now() - t0)}ms`;
    if (outcome && typeof outcome === "object") {
      results.push({ name, status: "skip", detail: outcome.skip });
      console.log(`skip ${name}: ${outcome.skip}`);
      return true;
    }
    results.push({ name, status: "ok", detail: outcome ?? "" });
    console.log(`ok   ${name}${outcome ? ` (${outcome})` : ""} [${ms}]`);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({ name, status: "FAIL", detail: message });
    console.log(`FAIL ${name}: ${message}`);
    return false;
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const out = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

function expectSuccess(result: RunResult, what: string): void {
  assert(
    result.code === 0,
    `${what} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 400)}`,
  );
}

async function hasCommand(name: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${name}`])).code === 0;
}

/** Starts `phyware server start` and resolves with its URL, read from the first stderr line. */
async function startServer(binary: string, dbPath: string, env: Record<string, string>) {
  const child = new Deno.Command(binary, {
    args: ["server", "start", "--port", "0", "--db", dbPath],
    cwd: dirname(dbPath),
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const deadline = Date.now() + 15000;
  while (!buffered.includes("\n") && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
  }
  const first = buffered.split("\n")[0] ?? "";
  const match = /^phyware server listening on (http:\/\/\S+)$/.exec(first);
  // Keep draining stderr so that the server never blocks on a full pipe.
  const drained = (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read()) buffered += r.value;
  })();
  const stop = async (): Promise<number> => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const status = await child.status;
    await drained.catch(() => {});
    return status.code;
  };
  if (!match) {
    await stop();
    throw new Error(`Server did not announce its URL; first stderr line: "${first}"`);
  }
  return { url: match[1] as string, stop, stderr: () => buffered };
}

async function extract(archivePath: string, target: Target, dir: string): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  if (target.archive === "zip") {
    const listing = await run("unzip", ["-Z1", archivePath]);
    expectSuccess(listing, "unzip -Z1");
    expectSuccess(await run("unzip", ["-q", archivePath, "-d", dir]), "unzip");
    return listing.stdout.trim().split("\n");
  }
  const listing = await run("tar", ["-tzf", archivePath]);
  expectSuccess(listing, "tar -t");
  expectSuccess(await run("tar", ["-xzf", archivePath, "-C", dir]), "tar -x");
  return listing.stdout.trim().split("\n");
}

/** What compile.ts records in manifest.json. */
type Manifest = {
  version: string;
  sourceDateEpoch: number;
  artifacts: {
    target: string;
    archive: string;
    sha256: string;
    engine: string;
    engineVersion: string;
    signature?: string;
    packages?: string[];
  }[];
};

async function readManifest(dist: string): Promise<Manifest> {
  return JSON.parse(await Deno.readTextFile(join(dist, "manifest.json"))) as Manifest;
}

async function verifyArchives(dist: string, work: string): Promise<Map<string, string>> {
  const binaries = new Map<string, string>();
  const manifest = await readManifest(dist);
  await check("manifest version is the package.json version", () => {
    assert(manifest.version === VERSION, `manifest has ${manifest.version}, package.json ${VERSION}`);
    return Promise.resolve(VERSION);
  });
  const sums = parseChecksums(await Deno.readTextFile(join(dist, "checksums.txt")));
  await check("checksums.txt lists exactly the manifest's archives, packages, images and the SBOM", () => {
    const listed = [...sums.keys()].sort().join(",");
    const built = [...manifest.artifacts.flatMap((a) => [a.archive, ...(a.packages ?? [])]), "sbom.cdx.json"]
      .sort().join(",");
    assert(listed === built, `checksums.txt has ${listed}; manifest has ${built}`);
    return Promise.resolve(`${sums.size} files`);
  });
  if (await hasCommand("sha256sum")) {
    await check("sha256sum -c checksums.txt", async () => {
      expectSuccess(
        await run("sha256sum", ["-c", "--strict", "checksums.txt"], { cwd: dist }),
        "sha256sum -c",
      );
    });
  }
  // The man pages and completions this source tree generates: each archive must carry exactly these.
  const docs = docEntries(VERSION, manifest.sourceDateEpoch);
  for (const artifact of manifest.artifacts) {
    const target = TARGETS.find((t) => t.id === artifact.target);
    if (!target) {
      await check(`${artifact.target}: known target`, () => Promise.reject(new Error("unknown target")));
      continue;
    }
    const dir = join(work, target.id);
    await check(
      `${target.id}: ${artifact.archive} (${artifact.engine}) has the right name, hash, binary, man pages and completions`,
      async () => {
        assert(artifact.archive === archiveName(VERSION, target), `expected ${archiveName(VERSION, target)}`);
        const bytes = await Deno.readFile(join(dist, artifact.archive));
        assert(sha256Hex(bytes) === sums.get(artifact.archive), "sha256 differs from checksums.txt");
        const entries = await extract(join(dist, artifact.archive), target, dir);
        const expected = [target.binary, "LICENSE", "README.md", ...docs.map((d) => d.name)].sort().join(",");
        assert(entries.sort().join(",") === expected, `entries ${entries.join(",")}, expected ${expected}`);
        for (const doc of docs) {
          const data = await Deno.readFile(join(dir, doc.name));
          assert(
            sha256Hex(data) === sha256Hex(doc.data),
            `${doc.name} differs from the one this tree generates`,
          );
        }
        const mode = (await Deno.stat(join(dir, target.binary))).mode ?? 0;
        assert(target.os === "windows" || (mode & 0o111) !== 0, "the binary is not executable");
        binaries.set(target.id, join(dir, target.binary));
      },
    );
  }
  return binaries;
}

async function verifyFormats(binaries: Map<string, string>): Promise<void> {
  for (const [id, path] of binaries) {
    const target = TARGETS.find((t) => t.id === id) as Target;
    await check(`${id}: file(1) says the right format and architecture`, async () => {
      const out = await run("file", ["-b", path]);
      expectSuccess(out, "file");
      const pattern = FILE_PATTERNS[id] as RegExp;
      assert(pattern.test(out.stdout), `file says: ${out.stdout.trim()}`);
      return out.stdout.trim().split(",").slice(0, 2).join(",");
    });
    await check(`${id}: embeds the phyware program`, async () => {
      // Binaries that cannot run here (darwin, windows, musl) still must carry the bundle: a stripped or
      // truncated build loses it and becomes a bare runtime.
      for (const marker of PROGRAM_MARKERS) {
        const found = await run("grep", ["-q", "-a", "-F", "--", marker, path]);
        assert(found.code === 0, `no "${marker}" in the binary`);
      }
    });
    if (target.os === "linux") {
      await check(`${id}: links only the expected libraries`, async () => {
        const needed = await neededLibraries(path);
        const allowed = target.libc === "musl" ? MUSL_LIBS : GLIBC_LIBS;
        const extra = needed.filter((lib) => !allowed.test(lib));
        assert(extra.length === 0, `unexpected libraries: ${extra.join(", ")}`);
        const loader = await interpreter(path);
        const glibc = target.libc === "musl" ? undefined : await newestGlibc(path);
        return `${needed.join(" ")}; loader ${loader}${glibc ? `; needs glibc >= ${glibc}` : ""}`;
      });
    }
    if (target.os === "darwin") {
      await check(`${id}: every code page hash in LC_CODE_SIGNATURE verifies`, async () => {
        const report = verifyMachoSignature(await Deno.readFile(path));
        const bad = report.directories.reduce((n, d) => n + d.badPages.length + d.badSpecialSlots.length, 0);
        assert(report.valid, `${bad} hashes differ; ${report.problems.join("; ")}`);
        const d = report.directories[0];
        return `${report.cpu}, ${d?.hashType}, ${d?.codeSlots} pages of ${d?.pageSize}, ${
          d?.adhoc ? "ad hoc" : "certificate"
        }, id ${d?.identifier}`;
      });
    }
  }
}

async function verifyLinuxX64(binary: string | undefined, work: string): Promise<void> {
  if (!binary) return;
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    await check("linux-x64 runs", () => Promise.resolve({ skip: "this host is not linux x64" }));
    return;
  }
  if (!(await hasCommand("bwrap"))) {
    await check(
      "linux-x64 runs in a minimal root",
      () => Promise.resolve({ skip: "bwrap is not installed" }),
    );
    return;
  }
  const root = join(work, "sandbox-root");
  const preloadMarker = "BUNFIG-PRELOAD-RAN";
  // .env carries phyware's own settings; bunfig.toml would run a preload if the runtime read it.
  const dotenvFor = (url: string) => `PHYCLOUD_URL=${url}\nPHYCLOUD_API_KEY=${ADMIN_KEY}\n`;
  let libs: string[] = [];
  await check("linux-x64: minimal root holds only the binary and its ldd libraries", async () => {
    libs = await buildMinimalRoot(binary, root, {
      ".env": dotenvFor("http://127.0.0.1:9"),
      "bunfig.toml": `preload = ["./preload.js"]\n`,
      "preload.js": `console.error("${preloadMarker}");\n`,
    });
    return libs.join(" ");
  });
  const sandboxed = (args: string[]) => run("bwrap", bwrapArgs(root, {}, args));
  await check(
    "linux-x64 --version in the minimal root (empty env, read-only, uid 65534, no HOME)",
    async () => {
      const out = await sandboxed(["--version"]);
      expectSuccess(out, "phyware --version");
      assert(out.stdout.trim() === VERSION, `printed "${out.stdout.trim()}", expected "${VERSION}"`);
      assert(!out.stderr.includes(preloadMarker), "bunfig.toml preload ran");
      return out.stdout.trim();
    },
  );
  await check("linux-x64 --help in the minimal root", async () => {
    const out = await sandboxed(["--help"]);
    expectSuccess(out, "phyware --help");
    assert(out.stdout.includes("Usage: phyware"), "no usage line");
    assert(!(out.stdout + out.stderr).includes(preloadMarker), "bunfig.toml preload ran");
  });

  const serverHelp = await run(binary, ["server", "start", "--help"]);
  const hasServer = serverHelp.code === 0 && serverHelp.stdout.includes("--port");
  const usersHelp = await run(binary, ["users", "list", "--help"]);
  const hasList = usersHelp.code === 0 && usersHelp.stdout.includes("--url");
  if (!hasServer || !hasList) {
    const missing = [hasServer ? "" : "server start", hasList ? "" : "users list"].filter(Boolean).join(", ");
    await check(
      "linux-x64 server start + users list",
      () => Promise.resolve({ skip: `not in this build: ${missing}` }),
    );
    return;
  }
  const dataDir = join(work, "server-data");
  await Deno.mkdir(dataDir, { recursive: true });
  const dbPath = join(dataDir, "phyware.db");
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await check("linux-x64 server start --port 0 --db PATH (bootstrap admin key from env)", async () => {
      server = await startServer(binary, dbPath, { PHYCLOUD_BOOTSTRAP_API_KEY: ADMIN_KEY });
      return server.url;
    });
    if (!server) return;
    const url = server.url;
    await Deno.writeTextFile(join(root, "work", ".env"), dotenvFor(url));
    await check(
      "linux-x64 users list in the minimal root: .env gives URL and key, nothing more",
      async () => {
        const out = await sandboxed(["users", "list", "-o", "json"]);
        expectSuccess(out, "users list");
        const all = out.stdout + out.stderr;
        assert(!all.includes(preloadMarker), "bunfig.toml preload ran");
        assert(!all.includes(ADMIN_KEY), "the API key was printed");
        JSON.parse(out.stdout);
        return `${out.stdout.length} bytes of JSON`;
      },
    );
    await check("linux-x64 users list --url with PHYCLOUD_API_KEY in the environment", async () => {
      await Deno.writeTextFile(join(root, "work", ".env"), "");
      const out = await run(
        "bwrap",
        bwrapArgs(root, { PHYCLOUD_API_KEY: ADMIN_KEY }, ["users", "list", "--url", url]),
      );
      expectSuccess(out, "users list --url");
    });
    await check("linux-x64 server stops on SIGTERM and keeps its SQLite database", async () => {
      const code = await server!.stop();
      server = undefined;
      assert(code === 0, `server exited ${code}`);
      assert((await Deno.stat(dbPath)).size > 0, "the database file is empty");
      const again = await startServer(binary, dbPath, {});
      try {
        const out = await run(binary, ["users", "list", "--url", again.url, "-o", "json"], {
          env: { PHYCLOUD_API_KEY: ADMIN_KEY },
          cwd: dataDir,
        });
        expectSuccess(out, "users list after restart");
      } finally {
        await again.stop();
      }
      return `${(await Deno.stat(dbPath)).size} bytes`;
    });
    await check(
      "linux-x64 server start ignores a bootstrap key in .env (no runtime .env or bunfig autoload)",
      async () => {
        // phyware reads PHYCLOUD_BOOTSTRAP_API_KEY from the environment only; a runtime that loaded .env on
        // its own would make this key the admin key.
        const dir = join(work, "dotenv-server");
        await Deno.mkdir(dir, { recursive: true });
        await Deno.writeTextFile(join(dir, ".env"), `PHYCLOUD_BOOTSTRAP_API_KEY=${DOTENV_KEY}\n`);
        await Deno.writeTextFile(join(dir, "bunfig.toml"), `preload = ["./preload.js"]\n`);
        await Deno.writeTextFile(join(dir, "preload.js"), `console.error("${preloadMarker}");\n`);
        const fresh = await startServer(binary, join(dir, "phyware.db"), {});
        let stderr = "";
        try {
          const out = await run(binary, ["users", "list", "--url", fresh.url], {
            env: { PHYCLOUD_API_KEY: DOTENV_KEY },
            cwd: work,
          });
          assert(out.code !== 0, "the key from .env was accepted: the runtime loaded .env");
        } finally {
          await fresh.stop();
          stderr = fresh.stderr();
        }
        assert(!stderr.includes(preloadMarker), "bunfig.toml preload ran in the server");
        assert(!stderr.includes(DOTENV_KEY), "the server printed the .env key");
      },
    );
  } finally {
    if (server) await server.stop();
  }
}

async function verifyLinuxArm64(binary: string | undefined): Promise<void> {
  if (!binary) return;
  if (!(await hasCommand("qemu-aarch64-static"))) {
    await check(
      "linux-arm64 --version under qemu",
      () => Promise.resolve({ skip: "qemu-user-static is not installed" }),
    );
    return;
  }
  await check("linux-arm64 --version under qemu-aarch64-static with Debian's arm64 libc", async () => {
    const out = await run("qemu-aarch64-static", ["-L", ARM64_SYSROOT, binary, "--version"], { env: {} });
    expectSuccess(out, "qemu phyware --version");
    assert(out.stdout.trim() === VERSION, `printed "${out.stdout.trim()}"`);
    return out.stdout.trim();
  });
}

/** Runs the generated formula's install and `test do` in real Ruby against the built linux-x64 binary. */
async function verifyHomebrewFormula(dist: string, binary: string | undefined): Promise<void> {
  if (!binary || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") return;
  const name = "phyware.rb: install and test do (server, users invite, users list -o json) in Ruby";
  if (!(await hasCommand("ruby"))) {
    await check(name, () => Promise.resolve({ skip: "ruby is not installed (apt-get install ruby)" }));
    return;
  }
  await check(name, async () => {
    const harness = join(ROOT, "tests", "dist", "homebrew_harness.rb");
    // The harness installs from the unpacked archive (its cwd) and runs the test with bin = that folder.
    const unpacked = dirname(binary);
    const out = await run("ruby", [harness, join(dist, "phyware.rb"), "linux", "x64", unpacked], {
      cwd: unpacked,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    });
    expectSuccess(out, "ruby homebrew_harness.rb");
    assert(out.stdout.endsWith("test ok\n"), `the test block did not finish: ${out.stdout.slice(-300)}`);
    const installs = out.stdout.split("\n").filter((line) => line.includes(".install ")).length;
    return `${installs} install lines, test passed`;
  });
}

/** A check that cannot run for want of a program: a skip with the reason, or a failure under CI=true. */
function missingProgram(program: string, pkg: string): Promise<Outcome> {
  const reason = `${program} is not installed (apt-get install ${pkg})`;
  if (Deno.env.get("CI") === "true") return Promise.reject(new Error(`${reason}; CI must have it`));
  return Promise.resolve({ skip: reason });
}

/** Runs a linux binary of either architecture on this x64 host: directly, or under qemu with a sysroot. */
function runLinux(binary: string, arch: string, args: string[], sysroot = ARM64_SYSROOT) {
  return arch === "x64"
    ? run(binary, args, { env: {} })
    : run("qemu-aarch64-static", ["-L", sysroot, binary, ...args], { env: {} });
}

/** The .deb and .rpm of each linux glibc build: contents, metadata, lintian, and the packaged binary runs. */
async function verifyLinuxPackages(dist: string, manifest: Manifest, work: string): Promise<void> {
  const docs = docEntries(VERSION, manifest.sourceDateEpoch);
  const debs: string[] = [];
  for (const artifact of manifest.artifacts) {
    const target = TARGETS.find((t) => t.id === artifact.target);
    if (!target || target.os !== "linux" || target.libc !== "gnu") continue;
    const names = packageNames(VERSION, target);
    const expected = (family: "deb" | "rpm") =>
      packageFiles(
        {
          version: VERSION,
          target,
          binary: new Uint8Array(),
          docs,
          license: new Uint8Array(),
          homepage: "",
          mtime: 0,
        },
        family,
      ).map((f) => `/${f.name}`).sort();
    if (!artifact.packages) {
      await check(
        `${target.id}: .deb, .rpm and OCI image were built`,
        () => missingProgram("dpkg-deb, rpmbuild", "dpkg rpm binutils"),
      );
      continue;
    }
    await check(
      `${target.id}: ${names.deb} holds /usr/bin/phyware, man pages, completions; its binary runs`,
      async () => {
        const deb = join(dist, names.deb);
        const info = await run("dpkg-deb", ["-f", deb, "Package", "Version", "Architecture"]);
        expectSuccess(info, "dpkg-deb -f");
        const arch = target.arch === "x64" ? "amd64" : "arm64";
        assert(info.stdout === `Package: phyware\nVersion: ${VERSION}\nArchitecture: ${arch}\n`, info.stdout);
        const listing = await run("dpkg-deb", ["--fsys-tarfile", deb]);
        const contents = await run("sh", [
          "-c",
          `dpkg-deb --fsys-tarfile "$1" | tar -t | grep -v '/$' | sed 's#^\\.##' | sort`,
          "sh",
          deb,
        ]);
        expectSuccess(listing, "dpkg-deb --fsys-tarfile");
        const files = contents.stdout.trim().split("\n");
        assert(files.join(",") === expected("deb").join(","), `files ${files.join(",")}`);
        // Installed into a throwaway root the way dpkg lays it out, then run from there.
        const root = join(work, `deb-root-${target.id}`);
        expectSuccess(await run("dpkg-deb", ["-x", deb, root]), "dpkg-deb -x");
        const version = await runLinux(join(root, "usr", "bin", "phyware"), target.arch, ["--version"]);
        expectSuccess(version, "phyware --version from the .deb");
        assert(version.stdout.trim() === VERSION, `printed "${version.stdout.trim()}"`);
        return `${files.length} files, --version ${version.stdout.trim()}`;
      },
    );
    debs.push(join(dist, names.deb));
    await check(`${target.id}: rpm -qlp ${names.rpm} lists the expected files`, async () => {
      if (!(await hasCommand("rpm"))) return await missingProgram("rpm", "rpm");
      const rpm = join(dist, names.rpm);
      const list = await run("rpm", ["-qlp", rpm]);
      expectSuccess(list, "rpm -qlp");
      const files = list.stdout.trim().split("\n").sort();
      assert(files.join(",") === expected("rpm").join(","), `rpm -qlp lists ${files.join(",")}`);
      const query = await run("rpm", ["-qp", "--qf", "%{NAME} %{VERSION} %{ARCH} %{LICENSE}", rpm]);
      const arch = target.arch === "x64" ? "x86_64" : "aarch64";
      assert(query.stdout === `phyware ${VERSION} ${arch} MIT`, `rpm says "${query.stdout}"`);
      return `${files.length} files, ${arch}`;
    });
  }
  if (debs.length === 0) return;
  await check(`lintian reports no error on ${debs.map((d) => d.split("/").at(-1)).join(", ")}`, async () => {
    if (!(await hasCommand("lintian"))) return await missingProgram("lintian", "lintian");
    const outs = await Promise.all(debs.map((deb) => run("lintian", ["--tag-display-limit", "0", deb])));
    const lines = outs.flatMap((o) => o.stdout.split("\n")).filter((l) => /^[EWIO]: /.test(l));
    const errors = lines.filter((l) => l.startsWith("E: "));
    assert(errors.length === 0, errors.join("; "));
    const warnings = [...new Set(lines.filter((l) => l.startsWith("W: ")).map((l) => l.split(" ")[2]))];
    return warnings.length > 0 ? `warnings: ${warnings.join(", ")}` : "no warning";
  });
}

/** The OCI images: skopeo reads them, umoci unpacks them, and the root runs phyware the way its config says. */
async function verifyImages(dist: string, manifest: Manifest, binaries: Map<string, string>, work: string) {
  for (const artifact of manifest.artifacts) {
    const target = TARGETS.find((t) => t.id === artifact.target);
    if (!target || !artifact.packages) continue;
    const name = imageName(VERSION, target);
    const path = join(dist, name);
    const goArch = target.arch === "x64" ? "amd64" : "arm64";
    let digest = "";
    await check(`${target.id}: skopeo inspect oci-archive:${name} (labels, user, entrypoint)`, async () => {
      if (!(await hasCommand("skopeo"))) return await missingProgram("skopeo", "skopeo");
      const inspect = await run("skopeo", ["inspect", `oci-archive:${path}`]);
      expectSuccess(inspect, "skopeo inspect");
      const info = JSON.parse(inspect.stdout) as {
        Digest: string;
        Architecture: string;
        Os: string;
        Labels: Record<string, string>;
      };
      assert(info.Architecture === goArch && info.Os === "linux", `${info.Os}/${info.Architecture}`);
      assert(info.Labels["org.opencontainers.image.version"] === VERSION, "no version label");
      for (const label of ["source", "revision", "licenses", "created"]) {
        assert(
          info.Labels[`org.opencontainers.image.${label}`],
          `no org.opencontainers.image.${label} label`,
        );
      }
      const config = await run("skopeo", ["inspect", "--config", `oci-archive:${path}`]);
      const c = JSON.parse(config.stdout) as { config: { User: string; Entrypoint: string[] } };
      assert(c.config.User === `${IMAGE_USER}:${IMAGE_USER}`, `user ${c.config.User}`);
      assert(JSON.stringify(c.config.Entrypoint) === '["/phyware"]', `entrypoint ${c.config.Entrypoint}`);
      digest = info.Digest;
      return `${digest.slice(0, 19)}, ${(Deno.statSync(path).size / 1048576).toFixed(1)} MiB`;
    });
    const binary = binaries.get(target.id);
    // One architecture is enough to show that the builder is deterministic; each rebuild costs a gzip -9.
    if (binary && digest && target.arch === "x64") {
      await check(`${target.id}: the image rebuilt from the same binary has the same digest`, async () => {
        const again = await buildImage({
          version: VERSION,
          target,
          binaryPath: binary,
          homepage: await labelOf(path, "source"),
          revision: await labelOf(path, "revision"),
          mtime: manifest.sourceDateEpoch,
        });
        assert(again.digest === digest, `rebuilt ${again.digest}, shipped ${digest}`);
        return digest.slice(0, 19);
      });
    }
    await check(
      `${target.id}: umoci unpack, then the root runs as its config says (--version, users list)`,
      async () => {
        if (!(await hasCommand("umoci"))) return await missingProgram("umoci", "umoci");
        const layout = join(work, `oci-${target.id}`);
        await Deno.mkdir(layout, { recursive: true });
        expectSuccess(await run("tar", ["-xf", path, "-C", layout]), "tar -x image");
        const bundle = join(work, `bundle-${target.id}`);
        // The image's user must reach the unpacked root through the work folder.
        await Deno.chmod(work, 0o755);
        const root = Deno.uid() === 0;
        // As root the files keep their owners (home is 65532's); rootless, they become the caller's, whom bwrap
        // maps to 65532. Either way the sandbox sees what a container runtime shows.
        expectSuccess(
          await run("umoci", [
            "unpack",
            ...(root ? [] : ["--rootless"]),
            "--image",
            `${layout}:${VERSION}`,
            bundle,
          ]),
          "umoci unpack",
        );
        await Deno.chmod(bundle, 0o755);
        const spec = JSON.parse(await Deno.readTextFile(join(bundle, "config.json"))) as {
          process: { user: { uid: number; gid: number }; args: string[]; env: string[]; cwd: string };
        };
        const p = spec.process;
        assert(
          p.user.uid === IMAGE_USER && p.args.join(" ") === "/phyware",
          `user ${p.user.uid}, args ${p.args}`,
        );
        const rootfs = join(bundle, "rootfs");
        if (target.arch !== "x64") {
          const out = await run("qemu-aarch64-static", ["-L", rootfs, join(rootfs, "phyware"), "--version"], {
            env: {},
          });
          expectSuccess(out, "qemu /phyware --version in the image root");
          assert(out.stdout.trim() === VERSION, `printed "${out.stdout.trim()}"`);
          return `--version under qemu with only the image's libraries: ${out.stdout.trim()}`;
        }
        const inImage = (args: string[], env: string[] = []) => {
          const bwrap = [
            "--ro-bind",
            rootfs,
            "/",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/tmp",
            "--unshare-user",
            "--uid",
            String(p.user.uid),
            "--gid",
            String(p.user.gid),
            "--unshare-pid",
            "--die-with-parent",
            "--chdir",
            p.cwd,
            "--clearenv",
            ...[...p.env, ...env].flatMap((
              kv,
            ) => ["--setenv", kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
            ...p.args,
            ...args,
          ];
          return root
            ? run("setpriv", [
              `--reuid=${p.user.uid}`,
              `--regid=${p.user.gid}`,
              "--clear-groups",
              "bwrap",
              ...bwrap,
            ])
            : run("bwrap", bwrap);
        };
        const version = await inImage(["--version"]);
        expectSuccess(version, "/phyware --version in the image");
        assert(version.stdout.trim() === VERSION, `printed "${version.stdout.trim()}"`);
        const dataDir = join(work, "image-server");
        await Deno.mkdir(dataDir, { recursive: true });
        const server = await startServer(
          binaries.get("linux-x64") ?? join(rootfs, "phyware"),
          join(dataDir, "p.db"),
          {
            PHYCLOUD_BOOTSTRAP_API_KEY: ADMIN_KEY,
          },
        );
        try {
          const list = await inImage(["users", "list", "-o", "json"], [
            `PHYCLOUD_URL=${server.url}`,
            `PHYCLOUD_API_KEY=${ADMIN_KEY}`,
          ]);
          expectSuccess(list, "users list in the image");
          const users = JSON.parse(list.stdout) as { email: string }[];
          assert(users.length >= 1, "no user listed");
          return `--version ${version.stdout.trim()}; users list: ${users.length} user(s) from ${server.url}`;
        } finally {
          await server.stop();
        }
      },
    );
  }
}

async function labelOf(image: string, label: string): Promise<string> {
  const out = await run("skopeo", ["inspect", `oci-archive:${image}`]);
  const info = JSON.parse(out.stdout) as { Labels: Record<string, string> };
  return info.Labels[`org.opencontainers.image.${label}`] ?? "";
}

/** sbom.cdx.json: CycloneDX, the runtime of each build, and every npm dependency with version and license. */
async function verifySbom(dist: string, manifest: Manifest): Promise<void> {
  await check(
    "sbom.cdx.json lists the runtime and every npm package of the program, with licenses",
    async () => {
      const sbom = JSON.parse(await Deno.readTextFile(join(dist, "sbom.cdx.json"))) as {
        bomFormat: string;
        specVersion: string;
        components: { type: string; name: string; group?: string; version: string; licenses: unknown[] }[];
      };
      assert(sbom.bomFormat === "CycloneDX" && sbom.specVersion === "1.5", "not CycloneDX 1.5");
      for (const artifact of manifest.artifacts) {
        const runtime = sbom.components.find((c) => c.type === "platform" && c.name === artifact.engine);
        assert(
          runtime?.version === artifact.engineVersion,
          `no ${artifact.engine} ${artifact.engineVersion} runtime`,
        );
      }
      // Independently of the bundler: every package of package.json's dependencies is listed, and every listed
      // package lies in their closure as installed in node_modules, at the installed version. The closure is a
      // superset (the MCP SDK's HTTP transports, for one, are never imported), so it bounds the list from above.
      const pkg = JSON.parse(await Deno.readTextFile(join(ROOT, "package.json"))) as {
        dependencies: Record<string, string>;
      };
      const seen = new Map<string, string>();
      const visit = async (name: string, from: string) => {
        let dir = from;
        while (
          !(await Deno.stat(join(dir, "node_modules", name, "package.json")).then(() => true, () => false))
        ) {
          assert(dir !== dirname(dir), `cannot resolve ${name}`);
          dir = dirname(dir);
        }
        const real = await Deno.realPath(join(dir, "node_modules", name));
        const info = JSON.parse(await Deno.readTextFile(join(real, "package.json"))) as {
          version: string;
          dependencies?: Record<string, string>;
        };
        if (seen.get(name) === info.version) return;
        seen.set(name, info.version);
        for (const dep of Object.keys(info.dependencies ?? {})) await visit(dep, real);
      };
      for (const name of Object.keys(pkg.dependencies)) await visit(name, ROOT);
      const listed = new Map(
        sbom.components.filter((c) => c.type === "library").map((c) => [
          c.group ? `${c.group}/${c.name}` : c.name,
          c,
        ]),
      );
      for (const name of Object.keys(pkg.dependencies)) {
        assert(listed.has(name), `${name}, a dependency in package.json, is not in the SBOM`);
      }
      for (const [name, component] of listed) {
        const version = seen.get(name);
        assert(version !== undefined, `${name} is in the SBOM but not among package.json's dependencies`);
        assert(
          component.version === version,
          `${name}: SBOM says ${component.version}, installed ${version}`,
        );
        assert(component.licenses.length > 0, `${name} has no license`);
      }
      return `${listed.size} npm packages, runtimes ${
        sbom.components.filter((c) => c.type === "platform").map((c) => `${c.name} ${c.version}`).join(", ")
      }`;
    },
  );
}

function hostTargetId(): string | undefined {
  if (Deno.build.os !== "linux" && Deno.build.os !== "darwin") return undefined;
  const arch = Deno.build.arch === "x86_64" ? "x64" : "arm64";
  return `${Deno.build.os}-${arch}`;
}

/** The host's binary names the commit it was built from (compile.ts writes src/build_info.json). */
async function verifyBuildCommit(binary: string | undefined): Promise<void> {
  if (!binary) {
    await check(
      "version -o json names the commit",
      () => Promise.resolve({ skip: "no binary for this host" }),
    );
    return;
  }
  await check("version -o json names the commit", async () => {
    const out = await run(binary, ["version", "-o", "json"]);
    expectSuccess(out, "phyware version -o json");
    const { commit, date } = JSON.parse(out.stdout) as { commit: unknown; date: unknown };
    assert(
      typeof commit === "string" && /^[0-9a-f]{40}$/.test(commit),
      `commit is ${JSON.stringify(commit)}`,
    );
    assert(typeof date === "string" && !Number.isNaN(Date.parse(date)), `date is ${JSON.stringify(date)}`);
    return `${commit.slice(0, 12)} ${date}`;
  });
}

async function verifyInstallScript(dist: string, work: string): Promise<void> {
  const host = hostTargetId();
  const archive = host ? TARGETS.find((t) => t.id === host) : undefined;
  if (!archive) {
    await check("install.sh", () => Promise.resolve({ skip: "no archive for this host" }));
    return;
  }
  const name = archiveName(VERSION, archive);
  if (!(await Deno.stat(join(dist, name)).then(() => true, () => false))) {
    await check("install.sh", () => Promise.resolve({ skip: `${name} was not built` }));
    return;
  }
  let corrupt = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const file = decodeURIComponent(new URL(request.url).pathname.slice(1));
    if (file.includes("/") || file.startsWith(".")) return new Response("not found", { status: 404 });
    try {
      const bytes = await Deno.readFile(join(dist, file));
      if (corrupt && file === name) bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff;
      return new Response(bytes);
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: work };
  try {
    await check("install.sh installs the host's archive from a loopback server", async () => {
      const dir = join(work, "install-ok");
      const out = await run("sh", [join(dist, "install.sh"), "--base-url", base, "--dir", dir], { env });
      expectSuccess(out, "install.sh");
      const version = await run(join(dir, "phyware"), ["--version"]);
      assert(version.stdout.trim() === VERSION, `installed binary prints "${version.stdout.trim()}"`);
      return name;
    });
    await check("install.sh refuses a corrupted archive and installs nothing", async () => {
      corrupt = true;
      const dir = join(work, "install-bad");
      const out = await run("sh", [join(dist, "install.sh"), "--base-url", base, "--dir", dir], { env });
      assert(out.code !== 0, "install.sh succeeded on a corrupted archive");
      assert(out.stderr.includes("checksum mismatch"), `unexpected error: ${out.stderr.trim()}`);
      const installed = await Deno.stat(join(dir, "phyware")).then(() => true, () => false);
      assert(!installed, "a binary was installed anyway");
    });
  } finally {
    await server.shutdown();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { dist: { type: "string", default: join(ROOT, "dist") } },
  });
  const dist = values.dist;
  if (!(await Deno.stat(join(dist, "manifest.json")).then(() => true, () => false))) {
    throw new Error(`No release kit in "${dist}": run deno task compile first`);
  }
  const started = performance.now();
  const work = await Deno.makeTempDir({ prefix: "phyware-verify-" });
  try {
    const binaries = await verifyArchives(dist, work);
    await verifyFormats(binaries);
    const host = hostTargetId();
    await verifyBuildCommit(host === undefined ? undefined : binaries.get(host));
    await verifyLinuxX64(binaries.get("linux-x64"), work);
    await verifyLinuxArm64(binaries.get("linux-arm64"));
    await verifyHomebrewFormula(dist, binaries.get("linux-x64"));
    const manifest = await readManifest(dist);
    await verifyLinuxPackages(dist, manifest, work);
    await verifyImages(dist, manifest, binaries, work);
    await verifySbom(dist, manifest);
    await verifyInstallScript(dist, work);
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`verify-dist finished in ${seconds}s`);
  console.log(`${count("ok")} passed, ${count("FAIL")} failed, ${count("skip")} skipped`);
  return count("FAIL") > 0 ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main();
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exitCode = 1;
  }
}
