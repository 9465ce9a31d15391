/**
 * The phyware release binary for linux x64 that the bench measures: the one in dist/ (from `deno task
 * compile`) when it is newer than every source file, else one built here with the same Bun and flags.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { findBun } from "../scripts/release/bun_binary.ts";
import { buildWithBun, BUN_FLAGS } from "../scripts/release/engines.ts";
import { selectTargets } from "../scripts/release/targets.ts";

/** The binary under test and what built it. */
export interface ReleaseBinary {
  path: string;
  /** The runtime inside the binary, which the bare baseline server must also run on. */
  engine: "bun" | "deno";
  engineVersion: string;
  /** Where it came from, for RESULTS.md. */
  origin: string;
  sizeBytes: number;
}

interface Manifest {
  artifacts?: { target: string; engine: "bun" | "deno"; engineVersion: string; archive: string }[];
}

function newestSource(root: string): number {
  let newest = statSync(join(root, "main.ts")).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(join(root, "src"));
  return newest;
}

async function bunVersionOf(root: string): Promise<string> {
  const pkg = JSON.parse(await Deno.readTextFile(join(root, "package.json"))) as {
    devDependencies?: Record<string, string>;
  };
  const version = pkg.devDependencies?.["bun"];
  if (!version) throw new Error("Cannot find the Bun version: package.json has no devDependencies.bun");
  return version;
}

/** The pinned Bun executable (for building, and for the baseline server of a Bun-built binary). */
export async function pinnedBun(root: string): Promise<{ path: string; version: string }> {
  const version = await bunVersionOf(root);
  return { path: await findBun(root, version, (line) => console.error(line)), version };
}

/**
 * Copies an executable into `dir` (as `phyware`) with one write, so that the page cache holds it as it holds
 * the floors, which the compiler writes whole. Timing depends on it, not only the bytes: on this VM (Linux
 * 6.18) the same binary extracted by tar, which writes in small blocks, answered `--version` in 5.0 ms against
 * 3.5 ms once written whole (hyperfine -N, 60 runs each), all of it system time (page faults on smaller page
 * cache folios). Without this, a dist/ or --binary executable was measured at 1.21-1.35x its floor where the
 * same build written whole measured 1.05x.
 */
export async function settledCopy(path: string, dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const copy = join(dir, "phyware");
  const bytes = await Deno.readFile(path);
  await Deno.remove(copy).catch(() => {});
  await Deno.writeFile(copy, bytes, { mode: 0o755 });
  return copy;
}

async function fromDist(root: string, workDir: string): Promise<ReleaseBinary | string> {
  const manifestPath = join(root, "dist", "manifest.json");
  if (!existsSync(manifestPath)) return "no dist/manifest.json";
  const manifest = JSON.parse(await Deno.readTextFile(manifestPath)) as Manifest;
  const record = manifest.artifacts?.find((a) => a.target === "linux-x64");
  if (!record) return "dist/ has no linux-x64 archive";
  const archive = join(root, "dist", record.archive);
  if (!existsSync(archive)) return `dist/${record.archive} is missing`;
  if (statSync(archive).mtimeMs < newestSource(root)) return `dist/${record.archive} is older than src/`;
  const dir = join(workDir, "dist-linux-x64");
  await Deno.mkdir(dir, { recursive: true });
  const out = await new Deno.Command("tar", { args: ["-xzf", archive, "-C", dir, "phyware"] }).output();
  if (!out.success) return `cannot extract dist/${record.archive}`;
  const path = await settledCopy(join(dir, "phyware"), join(workDir, "dist-linux-x64-settled"));
  return {
    path,
    engine: record.engine,
    engineVersion: record.engineVersion,
    origin: `dist/${record.archive} (deno task compile, ${record.engine} ${record.engineVersion})`,
    sizeBytes: statSync(path).size,
  };
}

/** Finds or builds the linux x64 release binary; `forceBuild` skips dist/. */
export async function releaseBinary(
  root: string,
  workDir: string,
  forceBuild: boolean,
): Promise<ReleaseBinary> {
  const dist = forceBuild ? "--build given" : await fromDist(root, workDir);
  if (typeof dist !== "string") return dist;
  const bun = await pinnedBun(root);
  const target = selectTargets(["linux-x64"])[0];
  if (!target) throw new Error("No linux-x64 target");
  const path = join(workDir, "phyware");
  const started = performance.now();
  await buildWithBun(bun.path, root, "main.ts", target, path);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return {
    path,
    engine: "bun",
    engineVersion: bun.version,
    origin: `built by the bench into bench/.work/phyware with Bun ${bun.version} and the release flags ` +
      `of scripts/release/engines.ts in ${seconds}s (${dist})`,
    sizeBytes: statSync(path).size,
  };
}

/**
 * Compiles a floor program, `bench/<name>.ts`, with the engine and the release flags of the release binary:
 * floor_version.ts (print, exit) for start-up, floor_get.ts (one fetch, print, exit) for one request,
 * fetch_loop.ts (fetch and print every page) for the big-tenant listing. Each is the cheapest program doing
 * the same work as the phyware command it stands beside, so the gap between them is phyware's own cost.
 */
export async function runtimeFloorBinary(
  root: string,
  workDir: string,
  engine: "bun" | "deno",
  name: "fetch_loop" | "floor_get" | "floor_version" = "fetch_loop",
): Promise<string> {
  const outdir = join(workDir, `floor-${name}`);
  await Deno.mkdir(outdir, { recursive: true });
  const outfile = join(outdir, name);
  const entry = join(root, "bench", `${name}.ts`);
  const linuxX64 = selectTargets(["linux-x64"])[0];
  if (!linuxX64) throw new Error("No linux-x64 target");
  const [cmd, args] = engine === "bun"
    ? [(await pinnedBun(root)).path, [
      "build",
      entry,
      ...BUN_FLAGS,
      `--target=${linuxX64.bunTarget}`,
      `--outfile=${outfile}`,
    ]]
    : [Deno.execPath(), [
      "compile",
      "--no-prompt",
      "--allow-net",
      "--allow-env",
      `--output=${outfile}`,
      entry,
    ]];
  const out = await new Deno.Command(cmd, { args, cwd: root, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`Cannot compile bench/${name}.ts: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return outfile;
}
