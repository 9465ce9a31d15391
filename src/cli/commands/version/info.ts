import build from "../../../build_info.json" with { type: "json" };
import { engine } from "../../../runtime/engine.ts";
import { VERSION } from "../../../version.ts";

/** What `phyware version -o json` prints. */
export interface VersionInfo {
  version: string;
  /** The git commit of the build; null in a source checkout. */
  commit: string | null;
  /** The build date (ISO 8601); null in a source checkout. */
  date: string | null;
  engine: string;
  engine_version: string;
  os: string;
  arch: string;
}

/** The version, the build's commit and date (src/build_info.json, written by a release build), and the engine. */
export function versionInfo(): VersionInfo {
  return { version: VERSION, commit: build.commit, date: build.date, ...engine() };
}
