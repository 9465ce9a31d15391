#!/usr/bin/env -S deno run -A
/**
 * Entry point: runs the CLI (src/cli/process.ts) and is the only place that exits the process. `--version`
 * is answered here before the CLI loads, so it costs about what printing a constant does (bench/startup.ts);
 * a write that fails goes on to `run`, which writes again and reports the error as for any command.
 */
import { argv, exit } from "./src/runtime/process.ts";
import { fdWriter } from "./src/runtime/fd_writer.ts";
import { isVersionRequest, VERSION } from "./src/version.ts";

async function main(args: string[]): Promise<number> {
  if (isVersionRequest(args)) {
    // Fewer than PIPE_BUF bytes: written whole or not at all, so writing them again cannot repeat any.
    const written = await fdWriter(1).write(`${VERSION}\n`).then(() => true, () => false);
    if (written) return 0;
  }
  const { runProcess } = await import("./src/cli/process.ts");
  return await runProcess(args);
}

exit(await main(argv()));
