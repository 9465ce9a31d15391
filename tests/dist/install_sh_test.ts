import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { needs } from "../support/programs.ts";
import { tarGz } from "../../scripts/release/tar_gz.ts";
import { formatChecksums, sha256Hex } from "../../scripts/release/checksums.ts";
import { tempDir } from "../support/temp_dir.ts";

const INSTALL_SH = fileURLToPath(new URL("../../scripts/install.sh", import.meta.url));
const VERSION = "1.2.3";
// install.sh downloads with curl (or wget).
const CURL = needs(["curl", "curl"]);
const PLATFORMS = [
  "linux_x64",
  "linux_arm64",
  "linux_x64_musl",
  "linux_arm64_musl",
  "darwin_x64",
  "darwin_arm64",
];

/** A fake release: each archive's `phyware` is a script that prints which archive it came from. */
function fakeDist(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const sums = new Map<string, string>();
  for (const platform of PLATFORMS) {
    const name = `phyware_${VERSION}_${platform}.tar.gz`;
    const script = `#!/bin/sh\necho "${VERSION} ${platform}"\n`;
    const archive = tarGz([
      { name: "phyware", mode: 0o755, data: new TextEncoder().encode(script) },
      { name: "LICENSE", mode: 0o644, data: new TextEncoder().encode("MIT\n") },
      { name: "README.md", mode: 0o644, data: new TextEncoder().encode("# phyware\n") },
    ], 0);
    files.set(name, archive);
    sums.set(name, sha256Hex(archive));
  }
  files.set("checksums.txt", new TextEncoder().encode(formatChecksums(sums)));
  return files;
}

/** Fake `uname`, `ldd` and `sysctl` so that detection sees the platform under test. */
async function fakeHost(dir: string, host: { s: string; m: string; ldd: string; translated?: string }) {
  const bin = join(dir, "fakebin");
  await Deno.mkdir(bin, { recursive: true });
  const write = async (name: string, body: string) => {
    await Deno.writeTextFile(join(bin, name), `#!/bin/sh\n${body}\n`);
    await Deno.chmod(join(bin, name), 0o755);
  };
  await write("uname", `case "$1" in -s) echo "${host.s}" ;; -m) echo "${host.m}" ;; esac`);
  await write("ldd", `echo "${host.ldd}" >&2; exit 1`);
  await write("sysctl", `echo "${host.translated ?? ""}"`);
  return bin;
}

/** The fake release on a loopback port; `await using served = serve(files)` stops it. */
interface Served extends AsyncDisposable {
  base: string;
  /** Replaces a file's bytes for later requests. */
  tamper(name: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

function serve(files: Map<string, Uint8Array>): Served {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const body = files.get(new URL(request.url).pathname.slice(1));
    return body ? new Response(new Uint8Array(body)) : new Response("not found", { status: 404 });
  });
  let closed: Promise<void> | undefined;
  const close = () => closed ??= server.shutdown();
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    tamper: (name, bytes) => void files.set(name, bytes),
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function installSh(args: string[], path: string) {
  const out = await new Deno.Command("sh", {
    args: [INSTALL_SH, ...args],
    env: { PATH: path, HOME: "/nonexistent" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

async function runInstalled(dir: string): Promise<string> {
  const out = await new Deno.Command(join(dir, "phyware"), { stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("install.sh detects OS, CPU and libc and installs the matching archive", CURL, async (t) => {
  await using dir = await tempDir();
  await using served = serve(fakeDist());
  const cases = [
    { s: "Linux", m: "x86_64", ldd: "ldd (GNU libc) 2.36", want: "linux_x64" },
    { s: "Linux", m: "aarch64", ldd: "ldd (Debian GLIBC 2.36-9) 2.36", want: "linux_arm64" },
    { s: "Linux", m: "x86_64", ldd: "musl libc (x86_64)\nVersion 1.2.5", want: "linux_x64_musl" },
    { s: "Linux", m: "aarch64", ldd: "musl libc (aarch64)", want: "linux_arm64_musl" },
    { s: "Darwin", m: "arm64", ldd: "", want: "darwin_arm64" },
    { s: "Darwin", m: "x86_64", ldd: "", want: "darwin_x64" },
    { s: "Darwin", m: "x86_64", ldd: "", translated: "1", want: "darwin_arm64" },
  ];
  for (const [i, c] of cases.entries()) {
    await t.step(
      `${c.s} ${c.m} ${c.ldd.split("\n")[0]}${c.translated ? " under Rosetta" : ""} -> ${c.want}`,
      async () => {
        const bin = await fakeHost(join(dir.path, `host${i}`), c);
        const target = join(dir.path, `bin${i}`);
        const out = await installSh(
          ["--base-url", served.base, "--dir", target],
          `${bin}:/usr/bin:/bin`,
        );
        assert.equal(out.code, 0, out.stderr);
        assert.equal(await runInstalled(target), `${VERSION} ${c.want}`);
        assert.match(out.stderr, new RegExp(`Installed phyware_${VERSION}_${c.want}\\.tar\\.gz to `));
      },
    );
  }
});

Deno.test(
  "install.sh refuses an archive whose sha256 does not match and installs nothing",
  CURL,
  async () => {
    await using dir = await tempDir();
    const files = fakeDist();
    await using served = serve(files);
    const name = `phyware_${VERSION}_linux_x64.tar.gz`;
    const corrupted = new Uint8Array(files.get(name) as Uint8Array);
    corrupted[20] = (corrupted[20] as number) ^ 0xff;
    served.tamper(name, corrupted);
    const target = join(dir.path, "bin");
    const out = await installSh(
      ["--base-url", served.base, "--dir", target, "--os", "linux", "--arch", "x64", "--libc", "gnu"],
      "/usr/bin:/bin",
    );
    assert.equal(out.code, 1);
    assert.match(
      out.stderr,
      new RegExp(`install.sh: checksum mismatch for ${name}: expected [0-9a-f]{64}, got`),
    );
    assert.match(out.stderr, /nothing was installed/);
    await assert.rejects(Deno.stat(join(target, "phyware")));
  },
);

Deno.test("install.sh fails clearly when the release has no archive for the platform", CURL, async (t) => {
  await using dir = await tempDir();
  const files = fakeDist();
  files.delete(`phyware_${VERSION}_darwin_x64.tar.gz`);
  files.set(
    "checksums.txt",
    new TextEncoder().encode(`${"0".repeat(64)}  phyware_${VERSION}_linux_x64.tar.gz\n`),
  );
  await using served = serve(files);
  await t.step("missing platform", async () => {
    const out = await installSh(
      ["--base-url", served.base, "--dir", join(dir.path, "bin"), "--os", "darwin", "--arch", "x64"],
      "/usr/bin:/bin",
    );
    assert.equal(out.code, 1);
    assert.match(
      out.stderr,
      /install\.sh: no phyware archive for darwin_x64 in http:\/\/127\.0\.0\.1:\d+\/checksums\.txt/,
    );
  });
  await t.step("other version requested", async () => {
    const out = await installSh(
      [
        "--base-url",
        served.base,
        "--dir",
        join(dir.path, "bin"),
        "--version",
        "9.9.9",
        "--os",
        "linux",
        "--arch",
        "x64",
      ],
      "/usr/bin:/bin",
    );
    assert.equal(out.code, 1);
    assert.match(
      out.stderr,
      /^install\.sh: release 9\.9\.9 does not exist: http:\/\/127\.0\.0\.1:\d+\/checksums\.txt lists no phyware_9\.9\.9_\* archive\n$/,
    );
  });
  await t.step("a version whose release is not there (404)", async () => {
    const out = await installSh(
      ["--base-url", `${served.base}/v9.9.9`, "--dir", join(dir.path, "bin"), "--version", "v9.9.9"],
      "/usr/bin:/bin",
    );
    assert.equal(out.code, 1);
    assert.match(
      out.stderr,
      /^install\.sh: release 9\.9\.9 does not exist: there is no http:\/\/127\.0\.0\.1:\d+\/v9\.9\.9\/checksums\.txt\n$/,
    );
  });
  await t.step("unreachable base URL", async () => {
    await served.close();
    const out = await installSh(
      ["--base-url", served.base, "--dir", join(dir.path, "bin")],
      "/usr/bin:/bin",
    );
    assert.equal(out.code, 1);
    assert.match(out.stderr, /install\.sh: cannot download http:\/\/127\.0\.0\.1:\d+\/checksums\.txt/);
  });
});

Deno.test("install.sh cut short anywhere runs nothing: its body is a function called on the last line", async () => {
  const script = await Deno.readTextFile(INSTALL_SH);
  const lines = script.trimEnd().split("\n");
  assert.equal(lines.at(-1), 'main "$@"');
  await using dir = await tempDir();
  // A fake curl that records any call: a truncated script must never reach the network.
  const bin = join(dir.path, "bin");
  await Deno.mkdir(bin);
  await Deno.writeTextFile(join(bin, "curl"), `#!/bin/sh\necho called >> "${dir.path}/calls"\nexit 1\n`);
  await Deno.chmod(join(bin, "curl"), 0o755);
  for (let cut = 0; cut < lines.length - 1; cut += 7) {
    const truncated = lines.slice(0, cut).join("\n") + "\n";
    const out = await new Deno.Command("sh", {
      args: ["-s", "--", "--dir", join(dir.path, "installed"), "--base-url", "http://127.0.0.1:9"],
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir.path },
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = out.stdin.getWriter();
    await writer.write(new TextEncoder().encode(truncated));
    await writer.close();
    const result = await out.output();
    assert.equal(new TextDecoder().decode(result.stdout), "", `cut at line ${cut}`);
    await assert.rejects(Deno.stat(join(dir.path, "calls")), `cut at line ${cut}: curl was called`);
    await assert.rejects(Deno.stat(join(dir.path, "installed")), `cut at line ${cut}: a folder was made`);
  }
});
