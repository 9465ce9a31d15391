/** What the package-manager generators need to know about a release. */
import type { Target } from "./targets.ts";

/** One built archive with its checksum. */
export interface ReleaseArchive {
  target: Target;
  /** Archive file name, e.g. `phyware_0.1.0_darwin_arm64.tar.gz`. */
  name: string;
  /** Hex SHA-256 of the archive. */
  sha256: string;
}

/** A release: version, where its files are downloaded from, and its archives. */
export interface ReleaseInfo {
  version: string;
  /** Download URL template of the release files; `{version}` is replaced by the version. */
  baseUrl: string;
  /** Project home page. */
  homepage: string;
  archives: ReleaseArchive[];
}

/** The download base for a version, without a trailing slash. */
export function downloadBase(baseUrl: string, version: string): string {
  return baseUrl.replaceAll("{version}", version).replace(/\/+$/, "");
}
