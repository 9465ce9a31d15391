/**
 * `-V, --version`: the bare version. Answered by main.ts before anything else loads (src/version.ts,
 * isVersionRequest) and otherwise by commander's own version option (src/cli/program.ts), both spelled from
 * this one declaration. Data only, with no import at run time, so that `--version` stays as cheap as printing
 * a constant (tests/e2e/startup_imports_test.ts).
 */
import type { FlagSpec } from "./spec.ts";

/** `-V, --version`, outside the commands' flag lists: commander adds it with `.version()`, not addFlags. */
export const VERSION_FLAG = {
  long: "--version",
  short: "-V",
  help: "print the version",
} as const satisfies FlagSpec;
