// `globalThis.process`, not an import of node:process: Bun builds the module's namespace from every property
// of the object, which costs the `--version` path (bench/ "startup" row) about 20 page faults here.

/** Command-line arguments after the program name. */
export function argv(): string[] {
  return globalThis.process.argv.slice(2);
}

/** Ends the process with the given code; only main.ts calls this. */
export function exit(code: number): never {
  globalThis.process.exit(code);
}
