/** The release targets: one standalone executable and one archive each. */

/** One platform phyware is released for. */
export interface Target {
  /** Short id used on the command line and in the manifest, e.g. "linux-arm64-musl". */
  id: string;
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  /** Set for the musl (Alpine) builds; glibc otherwise. */
  libc: "gnu" | "musl" | "";
  /** `bun build --compile --target` value. */
  bunTarget: string;
  /** `deno compile --target` value; Deno ships no musl runtime. */
  denoTarget: string | undefined;
  /** Executable name inside the archive. */
  binary: string;
  /** Archive extension. */
  archive: "tar.gz" | "zip";
}

/** Every target `deno task compile` builds, in release order. */
export const TARGETS: readonly Target[] = [
  target("linux", "x64", "gnu", "bun-linux-x64", "x86_64-unknown-linux-gnu"),
  target("linux", "arm64", "gnu", "bun-linux-arm64", "aarch64-unknown-linux-gnu"),
  target("linux", "x64", "musl", "bun-linux-x64-musl", undefined),
  target("linux", "arm64", "musl", "bun-linux-arm64-musl", undefined),
  target("darwin", "x64", "", "bun-darwin-x64", "x86_64-apple-darwin"),
  target("darwin", "arm64", "", "bun-darwin-arm64", "aarch64-apple-darwin"),
  target("windows", "x64", "", "bun-windows-x64", "x86_64-pc-windows-msvc"),
];

function target(
  os: Target["os"],
  arch: Target["arch"],
  libc: Target["libc"],
  bunTarget: string,
  denoTarget: string | undefined,
): Target {
  return {
    id: `${os}-${arch}${libc === "musl" ? "-musl" : ""}`,
    os,
    arch,
    libc,
    bunTarget,
    denoTarget,
    binary: os === "windows" ? "phyware.exe" : "phyware",
    archive: os === "windows" ? "zip" : "tar.gz",
  };
}

/** The archive file name for a target, e.g. `phyware_0.1.0_linux_arm64_musl.tar.gz`. */
export function archiveName(version: string, target: Target): string {
  const musl = target.libc === "musl" ? "_musl" : "";
  return `phyware_${version}_${target.os}_${target.arch}${musl}.${target.archive}`;
}

/** Looks up targets by id; throws on an unknown one. */
export function selectTargets(ids: string[] | undefined): Target[] {
  if (!ids || ids.length === 0) return [...TARGETS];
  return ids.map((id) => {
    const found = TARGETS.find((t) => t.id === id);
    if (!found) {
      throw new Error(`Unknown target "${id}": expected one of ${TARGETS.map((t) => t.id).join(", ")}`);
    }
    return found;
  });
}
