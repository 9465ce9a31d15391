// `globalThis.process`, not an import of node:process, here and in every module a command's start-up loads:
// Bun builds that module's namespace from the whole object, about 20 page faults and 0.1-0.3 ms of `--version`
// and `users get` (tests/e2e/startup_imports_test.ts keeps it off their path).

/** Command-line arguments after the program name. */
export function argv(): string[] {
  return globalThis.process.argv.slice(2);
}

/** Ends the process with the given code; only main.ts calls this. */
export function exit(code: number): never {
  globalThis.process.exit(code);
}
