/** Shared inputs for the release-kit tests: a fixed set of archives with made-up checksums. */
import { archiveName, TARGETS } from "../../scripts/release/targets.ts";
import type { ReleaseInfo } from "../../scripts/release/release_info.ts";

/** A release (version 1.2.3 unless overridden) with every target, each archive's hash its index repeated. */
export function sampleRelease(overrides: Partial<ReleaseInfo> = {}): ReleaseInfo {
  const version = overrides.version ?? "1.2.3";
  return {
    version,
    baseUrl: "https://example.test/dl/v{version}",
    homepage: "https://github.com/phyware/phyware",
    archives: TARGETS.map((target, i) => ({
      target,
      name: archiveName(version, target),
      sha256: String(i).repeat(64),
    })),
    ...overrides,
  };
}
