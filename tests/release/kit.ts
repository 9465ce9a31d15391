/**
 * What the release checks share: the release kit in dist/ (or PHYWARE_DIST), its manifest, and how a check
 * that needs the kit skips. Without a kit the checks skip with the reason, except under CI=true or
 * PHYWARE_RELEASE_CHECKS=1 (`deno task verify-dist`), where a missing kit fails every one of them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseChecksums } from "../../scripts/release/checksums.ts";
import { type Target, TARGETS } from "../../scripts/release/targets.ts";
import { inCi, needs, needsPlatform } from "../support/programs.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The release kit's folder. */
export const DIST = Deno.env.get("PHYWARE_DIST") ?? join(ROOT, "dist");

/** An API key of the shape the server accepts; used only against a throwaway local server. */
export const ADMIN_KEY = `phy_${"verifydist".repeat(4)}`;

/** What compile.ts records in manifest.json. */
export interface Manifest {
  version: string;
  sourceDateEpoch: number;
  artifacts: {
    target: string;
    archive: string;
    sha256: string;
    engine: string;
    engineVersion: string;
    signature?: string;
    packages?: string[];
  }[];
}

function kitPresent(): boolean {
  try {
    return Deno.statSync(join(DIST, "manifest.json")).isFile;
  } catch {
    return false;
  }
}

/** Whether a missing kit (or program) fails rather than skips: CI, or `deno task verify-dist`. */
export function mustRun(): boolean {
  return inCi() || Deno.env.get("PHYWARE_RELEASE_CHECKS") === "1";
}

let saidNoKit = false;

/**
 * Test options of a release check: it needs the kit and these programs (as `needs()` takes them). Skips with
 * the reason on a machine without them; under CI=true or PHYWARE_RELEASE_CHECKS=1 (`deno task verify-dist`)
 * nothing skips, so a missing kit or program is a failure there.
 */
export function needsKit(...programs: [program: string, debianPackage: string][]): { ignore: boolean } {
  if (mustRun()) return { ignore: false };
  if (!kitPresent()) {
    if (!saidNoKit) console.error(`skipped: needs a release kit in ${DIST} (deno task compile)`);
    saidNoKit = true;
    return { ignore: true };
  }
  return needs(...programs);
}

/** Test options of a check that needs the kit, these programs, and a linux x64 machine (to run the binary). */
export function onLinuxX64(...programs: [program: string, debianPackage: string][]): { ignore: boolean } {
  const kit = needsKit(...programs);
  return kit.ignore ? kit : needsPlatform("linux", "x86_64");
}

/** Fails the check when this machine is not `os` `arch` (a check run under CI on another platform). */
export function assertHost(os: typeof Deno.build.os, arch: typeof Deno.build.arch): void {
  assert.equal(`${Deno.build.os} ${Deno.build.arch}`, `${os} ${arch}`, "this check runs on linux x64 only");
}

/** manifest.json of the kit; fails with the fix when there is no kit. */
export async function readManifest(): Promise<Manifest> {
  const text = await Deno.readTextFile(join(DIST, "manifest.json")).catch(() => {
    throw new Error(`No release kit in "${DIST}": run deno task compile first`);
  });
  return JSON.parse(text) as Manifest;
}

/** checksums.txt of the kit, file name -> sha256. */
export async function readChecksums(): Promise<Map<string, string>> {
  return parseChecksums(await Deno.readTextFile(join(DIST, "checksums.txt")));
}

/** The target of an id; fails on an unknown one. */
export function target(id: string): Target {
  const found = TARGETS.find((t) => t.id === id);
  assert.ok(found, `unknown target "${id}"`);
  return found;
}

/** The output of a finished program. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with no standard input; `env` given means only that environment. */
export async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const out = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env, clearEnv: true } : {}),
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** Fails unless the program exited 0, with its output in the message. */
export function assertSuccess(result: RunResult, what: string): void {
  assert.equal(
    result.code,
    0,
    `${what} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 600)}`,
  );
}

/** Extracts the archive of `id` into `dir` and returns its entries and the binary's path. */
export async function unpack(id: string, dir: string): Promise<{ entries: string[]; binary: string }> {
  const t = target(id);
  const manifest = await readManifest();
  const artifact = manifest.artifacts.find((a) => a.target === id);
  assert.ok(artifact, `${id} was not built`);
  const archive = join(DIST, artifact.archive);
  await Deno.mkdir(dir, { recursive: true });
  let listing: RunResult;
  if (t.archive === "zip") {
    listing = await run("unzip", ["-Z1", archive]);
    assertSuccess(listing, "unzip -Z1");
    assertSuccess(await run("unzip", ["-q", archive, "-d", dir]), "unzip");
  } else {
    listing = await run("tar", ["-tzf", archive]);
    assertSuccess(listing, "tar -t");
    assertSuccess(await run("tar", ["-xzf", archive, "-C", dir]), "tar -x");
  }
  return { entries: listing.stdout.trim().split("\n"), binary: join(dir, t.binary) };
}
