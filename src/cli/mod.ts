/**
 * `run(argv, ctx, host)`: the one entry of the CLI. A plain command line of a hot verb (`users get`,
 * `users list`, `--version`) runs without loading commander (src/cli/fast_path.ts); everything else, help,
 * errors, suggestions and completions included, goes through the commander tree of src/cli/program.ts.
 */
import type { Context, ServerHost } from "../context.ts";
import { reportError } from "../error_report.ts";
import { matchFastPath } from "./fast_path.ts";
import { OUTPUT_FLAG } from "../session/flags.ts";
import { USERS_FAST_VERBS } from "./commands/users/fast.ts";
import { isVersionRequest, VERSION } from "../version.ts";

/** Whether the output format in effect is JSON (the last --output given wins), so errors are also JSON. */
export function wantsJsonErrors(argv: readonly string[]): boolean {
  const { long, short } = OUTPUT_FLAG;
  let format: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") break;
    if (arg === short || arg === long) format = argv[++i];
    else if (arg.startsWith(`${long}=`)) format = arg.slice(long.length + 1);
    else if (arg.startsWith(short) && arg.length > short.length && arg[short.length] !== "-") {
      format = arg.slice(short.length);
    }
  }
  return format === "json" || format === "ndjson";
}

async function runCommander(argv: string[], ctx: Context, host: ServerHost): Promise<void> {
  const { buildProgram } = await import("./program.ts");
  const pending: Promise<void>[] = [];
  try {
    await buildProgram(ctx, pending, host).parseAsync(argv, { from: "user" });
  } finally {
    await Promise.allSettled(pending);
  }
  await Promise.all(pending);
}

/** Runs phyware with the given arguments and returns the process exit code; only `server start` uses `host`. */
export async function run(argv: string[], ctx: Context, host: ServerHost): Promise<number> {
  try {
    const fast = matchFastPath(argv, USERS_FAST_VERBS);
    if (fast) await fast.verb.run(fast.args, fast.options, ctx);
    else if (isVersionRequest(argv)) await ctx.io.stdout.write(`${VERSION}\n`);
    else await runCommander(argv, ctx, host);
    return 0;
  } catch (error) {
    return await reportError(error, ctx, wantsJsonErrors(argv));
  }
}
