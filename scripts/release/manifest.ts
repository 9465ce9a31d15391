/** dist/manifest.json: what was built, by which engine, and each archive's checksum. */

/** One built artifact as recorded in the manifest. */
export interface ArtifactRecord {
  target: string;
  /** The compiler that built it. */
  engine: "deno" | "bun";
  /** The compiler's version. */
  engineVersion: string;
  archive: string;
  sha256: string;
  archiveSize: number;
  binarySize: number;
  /** For darwin binaries: the state of the code signature that ships. */
  signature?: string;
  /** For linux glibc builds: the .deb, .rpm and OCI image archive made from the binary. */
  packages?: string[];
}

/** Renders the manifest; it holds no build time, so it is as reproducible as the archives. */
export function formatManifest(
  version: string,
  sourceDateEpoch: number,
  artifacts: ArtifactRecord[],
): string {
  return `${JSON.stringify({ name: "phyware", version, sourceDateEpoch, artifacts }, null, 2)}\n`;
}
