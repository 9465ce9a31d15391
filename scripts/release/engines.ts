/**
 * The two compilers: `deno compile` when Deno's runtime (`denort`) for the target can be had, else
 * `bun build --compile` with the pinned Bun.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { denoDir } from "./deno_dir.ts";
import type { Target } from "./targets.ts";

/** Which compiler built an artifact. */
export type Engine = "deno" | "bun";

/**
 * Bun flags, each for a reason: production mode (else NODE_ENV is inlined as "development"); no `.env` or
 * `bunfig.toml` autoloading (phyware applies its own `.env` rules); bytecode halves start-up and needs ESM;
 * the linked source map is embedded so stack traces name `.ts` lines; code splitting keeps modules behind a
 * dynamic import (the server, SQLite, nodemailer, YAML) out of every command's start-up (nodemailer alone
 * cost about 12 ms when bundled into the one chunk). The binary must never be stripped.
 */
export const BUN_FLAGS: readonly string[] = [
  "--compile",
  "--production",
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-bunfig",
  "--minify",
  "--bytecode",
  "--format=esm",
  "--sourcemap=linked",
  "--splitting",
];

/**
 * Permissions baked into a `deno compile` binary: the API client and the server need the network,
 * environment (configuration), files (`.env`, the SQLite database) and the home directory.
 */
export const DENO_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys=homedir",
];

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`Command failed: ${cmd} ${args.join(" ")}:\n${text.trim()}`);
  }
}

/** Builds `entry` for a target with Bun into `outfile`. */
export async function buildWithBun(
  bun: string,
  root: string,
  entry: string,
  target: Target,
  outfile: string,
): Promise<void> {
  await run(
    bun,
    ["build", entry, ...BUN_FLAGS, `--target=${target.bunTarget}`, `--outfile=${outfile}`],
    root,
  );
  // The linked map is also embedded in the binary; the file beside it is not shipped.
  await Deno.remove(`${outfile}.map`).catch(() => {});
  if (target.os === "windows") await Deno.remove(outfile.replace(/\.exe$/, ".map")).catch(() => {});
}

/** Builds `entry` for a target with `deno compile` into `outfile`. */
export async function buildWithDeno(
  root: string,
  entry: string,
  target: Target,
  outfile: string,
): Promise<void> {
  if (!target.denoTarget) throw new Error(`Deno cannot build "${target.id}"`);
  await run(Deno.execPath(), [
    "compile",
    "--no-prompt",
    ...DENO_PERMISSIONS,
    `--target=${target.denoTarget}`,
    `--output=${outfile}`,
    entry,
  ], root);
}

function hostDenoTarget(): string {
  return Deno.build.target;
}

/**
 * Whether `deno compile` can get the runtime for a target: `DENORT_BIN` (host target only), Deno's
 * download cache, or a download that answers within a few seconds.
 */
export async function denortAvailable(target: Target): Promise<boolean> {
  if (!target.denoTarget) return false;
  if (Deno.env.get("DENORT_BIN") && target.denoTarget === hostDenoTarget()) return true;
  const version = Deno.version.deno;
  const zip = `denort-${target.denoTarget}.zip`;
  const dir = await denoDir();
  if (dir && existsSync(join(dir, "dl", "release", `v${version}`, zip))) return true;
  try {
    const response = await fetch(`https://dl.deno.land/release/v${version}/${zip}`, {
      method: "HEAD",
      signal: AbortSignal.timeout(5000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
