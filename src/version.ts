import pkg from "../package.json" with { type: "json" };

/** The phyware version; package.json is its one source, shared with the release artifacts. */
export const VERSION: string = pkg.version;

/** Whether a command line asks for the version alone (`--version` or `-V`), which prints just VERSION. */
export function isVersionRequest(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V");
}
