import pkg from "../package.json" with { type: "json" };

/** The phyware version; package.json is its one source, shared with the release artifacts. */
export const VERSION: string = pkg.version;
