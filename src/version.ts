import pkg from "../package.json" with { type: "json" };
import { VERSION_FLAG } from "./flags/version_flag.ts";

/** The phyware version; package.json is its one source, shared with the release artifacts. */
export const VERSION: string = pkg.version;

/** Whether a command line asks for the version alone (`--version` or `-V`), which prints just VERSION. */
export function isVersionRequest(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === VERSION_FLAG.long || argv[0] === VERSION_FLAG.short);
}
