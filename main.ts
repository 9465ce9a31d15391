#!/usr/bin/env -S deno run -A
/** Entry point: builds the real Context, runs the CLI, and is the only place that exits the process. */
import { run } from "./src/cli.ts";
import { argv, createContext, exit, serverHost } from "./src/runtime/mod.ts";

const code = await run(argv(), createContext(), serverHost);
exit(code);
