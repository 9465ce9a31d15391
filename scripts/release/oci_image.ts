/**
 * A container image of a linux (glibc) build, written as an OCI image-layout archive without a container
 * daemon: one layer holding `/phyware`, the glibc libraries its ELF header names (from the build host, or
 * Debian's arm64 cross libc), `/etc/passwd` with user 65532 and its home, and `/tmp`. `docker load`,
 * `podman load` and `skopeo` (`oci-archive:`) accept it. Every timestamp is SOURCE_DATE_EPOCH and every list
 * sorted, so the same inputs give the same digest.
 */
import { basename, join } from "node:path";
import { type ArchiveEntry, directoryEntry } from "./archive_entry.ts";
import { sha256Hex } from "./checksums.ts";
import { interpreter, neededLibraries } from "./elf_facts.ts";
import { gzip, tar } from "./tar_gz.ts";
import type { Target } from "./targets.ts";

/** The image's user: distroless's "nonroot". */
export const IMAGE_USER = 65532;
/** Where the libraries of each architecture come from on a Debian build host, and go in the image. */
const LIBRARIES: Record<Target["arch"], { from: string; to: string; goArch: string }> = {
  x64: { from: "/lib/x86_64-linux-gnu", to: "lib/x86_64-linux-gnu", goArch: "amd64" },
  arm64: { from: "/usr/aarch64-linux-gnu/lib", to: "lib/aarch64-linux-gnu", goArch: "arm64" },
};

/** What an image is built from. */
export interface ImageInput {
  version: string;
  target: Target;
  /** Path of the linux binary (read for its bytes and its ELF header). */
  binaryPath: string;
  homepage: string;
  /** The git commit the release is built from. */
  revision: string;
  /** SOURCE_DATE_EPOCH. */
  mtime: number;
}

/** The archive's file name: `phyware_0.1.0_linux_x64.oci.tar`. */
export function imageName(version: string, target: Target): string {
  return `phyware_${version}_${target.os}_${target.arch}.oci.tar`;
}

/** The glibc files the binary loads: its interpreter and the closure of DT_NEEDED, as [path in image, host file]. */
async function libraries(input: ImageInput): Promise<[string, string][]> {
  const where = LIBRARIES[input.target.arch];
  const loader = await interpreter(input.binaryPath);
  if (!loader) throw new Error(`Cannot build an image of "${input.binaryPath}": it names no ELF interpreter`);
  const found = new Map<string, string>([[loader.slice(1), join(where.from, basename(loader))]]);
  const queue = await neededLibraries(input.binaryPath);
  for (let name = queue.shift(); name; name = queue.shift()) {
    const inImage = `${where.to}/${name}`;
    if (found.has(inImage) || basename(loader) === name) continue;
    const host = join(where.from, name);
    found.set(inImage, host);
    queue.push(...await neededLibraries(host));
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The files of the image's one layer. */
async function layerEntries(input: ImageInput): Promise<ArchiveEntry[]> {
  const text = (s: string) => new TextEncoder().encode(s);
  const entries: ArchiveEntry[] = [
    { name: "phyware", mode: 0o755, data: await Deno.readFile(input.binaryPath) },
    directoryEntry("etc"),
    {
      name: "etc/passwd",
      mode: 0o644,
      data: text(
        `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${IMAGE_USER}:${IMAGE_USER}::/home/nonroot:/sbin/nologin\n`,
      ),
    },
    { name: "etc/group", mode: 0o644, data: text(`root:x:0:\nnonroot:x:${IMAGE_USER}:\n`) },
    directoryEntry("home"),
    directoryEntry("home/nonroot", 0o700, IMAGE_USER),
    directoryEntry("tmp", 0o1777),
    // Mount points, so that a runtime (or bwrap) can mount over a read-only root.
    directoryEntry("dev"),
    directoryEntry("proc"),
    directoryEntry("sys"),
  ];
  const dirs = new Set<string>();
  for (const [path, host] of await libraries(input)) {
    const parts = path.split("/").slice(0, -1);
    for (let n = 1; n <= parts.length; n++) dirs.add(parts.slice(0, n).join("/"));
    entries.push({ name: path, mode: 0o755, data: await Deno.readFile(await Deno.realPath(host)) });
  }
  for (const dir of dirs) entries.push(directoryEntry(dir));
  return entries;
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function descriptor(mediaType: string, bytes: Uint8Array) {
  return { mediaType, digest: `sha256:${sha256Hex(bytes)}`, size: bytes.length };
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

/** The image's labels: the standard org.opencontainers.image.* annotations. */
export function imageLabels(input: ImageInput): Record<string, string> {
  return {
    "org.opencontainers.image.created": isoSeconds(input.mtime),
    "org.opencontainers.image.description": "Command-line tool for the PhyCloud service",
    "org.opencontainers.image.licenses": "MIT",
    "org.opencontainers.image.revision": input.revision,
    "org.opencontainers.image.source": input.homepage,
    "org.opencontainers.image.title": "phyware",
    "org.opencontainers.image.version": input.version,
  };
}

/** Builds the OCI image-layout archive; resolves with its bytes and the manifest digest. */
export async function buildImage(input: ImageInput): Promise<{ bytes: Uint8Array; digest: string }> {
  const layerTar = tar(await layerEntries(input), input.mtime);
  const layer = gzip(layerTar);
  const created = isoSeconds(input.mtime);
  const labels = imageLabels(input);
  const goArch = LIBRARIES[input.target.arch].goArch;
  const config = json({
    created,
    architecture: goArch,
    os: "linux",
    config: {
      User: `${IMAGE_USER}:${IMAGE_USER}`,
      Entrypoint: ["/phyware"],
      Env: ["HOME=/home/nonroot"],
      WorkingDir: "/home/nonroot",
      Labels: labels,
    },
    rootfs: { type: "layers", diff_ids: [`sha256:${sha256Hex(layerTar)}`] },
    history: [{ created, created_by: "scripts/release/oci_image.ts" }],
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: descriptor("application/vnd.oci.image.config.v1+json", config),
    layers: [descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)],
    annotations: labels,
  });
  const ref = `phyware:${input.version}`;
  const index = json({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{
      ...descriptor("application/vnd.oci.image.manifest.v1+json", manifest),
      platform: { architecture: goArch, os: "linux" },
      annotations: {
        "io.containerd.image.name": `docker.io/library/${ref}`,
        "org.opencontainers.image.ref.name": input.version,
      },
    }],
  });
  const blob = (bytes: Uint8Array): ArchiveEntry => ({
    name: `blobs/sha256/${sha256Hex(bytes)}`,
    mode: 0o644,
    data: bytes,
  });
  // manifest.json is Docker's own format, for a `docker load` that predates OCI layouts.
  const dockerManifest = json([{
    Config: `blobs/sha256/${sha256Hex(config)}`,
    RepoTags: [ref],
    Layers: [`blobs/sha256/${sha256Hex(layer)}`],
  }]);
  const bytes = tar([
    directoryEntry("blobs"),
    directoryEntry("blobs/sha256"),
    blob(config),
    blob(manifest),
    blob(layer),
    { name: "index.json", mode: 0o644, data: index },
    { name: "manifest.json", mode: 0o644, data: dockerManifest },
    { name: "oci-layout", mode: 0o644, data: json({ imageLayoutVersion: "1.0.0" }) },
  ], input.mtime);
  return { bytes, digest: `sha256:${sha256Hex(manifest)}` };
}
