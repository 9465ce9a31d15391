/**
 * Finds the Bun executable pinned in package.json. Its npm package `bun` installs the real binary in a
 * postinstall step that Deno's `deno install` does not run, so this looks for the per-platform package
 * (`@oven/bun-<platform>`) in node_modules (npm and Deno layouts), then in Deno's npm cache, and finally
 * fetches that package with `deno cache` (the npm registry is all it needs).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { denoDir } from "./deno_dir.ts";

/** The `@oven/bun-*` package names that can run on this machine, most specific first. */
export function hostBunPackages(os: string, arch: string): string[] {
  const cpu = arch === "aarch64" ? "aarch64" : arch === "x86_64" ? "x64" : arch;
  if (os === "windows") return [`bun-windows-${cpu}`];
  if (os === "darwin") return [`bun-darwin-${cpu}`, `bun-darwin-${cpu}-baseline`];
  if (os === "linux") return [`bun-linux-${cpu}`, `bun-linux-${cpu}-baseline`, `bun-linux-${cpu}-musl`];
  return [];
}

async function versionOf(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const out = await new Deno.Command(path, { args: ["--version"], stdout: "piped", stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

function cacheCandidates(dir: string, pkg: string, version: string, exe: string): string[] {
  const npm = join(dir, "npm");
  if (!existsSync(npm)) return [];
  return [...Deno.readDirSync(npm)].filter((e) => e.isDirectory).map((e) =>
    join(npm, e.name, "@oven", pkg, version, "bin", exe)
  );
}

/** Returns the path of a Bun binary whose `--version` is exactly `version`; throws when none can be had. */
export async function findBun(root: string, version: string, log: (line: string) => void): Promise<string> {
  const exe = Deno.build.os === "windows" ? "bun.exe" : "bun";
  const packages = hostBunPackages(Deno.build.os, Deno.build.arch);
  const candidates: string[] = [];
  const explicit = Deno.env.get("PHYWARE_BUN");
  if (explicit) candidates.push(explicit);
  for (const pkg of packages) {
    candidates.push(join(root, "node_modules", "@oven", pkg, "bin", exe));
    candidates.push(
      join(
        root,
        "node_modules",
        ".deno",
        `@oven+${pkg}@${version}`,
        "node_modules",
        "@oven",
        pkg,
        "bin",
        exe,
      ),
    );
  }
  // After an npm install with scripts, the `bun` package holds the real binary under this name.
  candidates.push(join(root, "node_modules", "bun", "bin", "bun.exe"));
  const dir = await denoDir();
  if (dir) { for (const pkg of packages) candidates.push(...cacheCandidates(dir, pkg, version, exe)); }
  for (const path of candidates) {
    if (await versionOf(path) === version) return path;
  }
  if (explicit) throw new Error(`PHYWARE_BUN "${explicit}" is not Bun ${version}`);
  for (const pkg of packages) {
    log(`Fetching @oven/${pkg}@${version} from the npm registry`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["cache", "--no-config", "--node-modules-dir=none", `npm:@oven/${pkg}@${version}`],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success || !dir) continue;
    for (const path of cacheCandidates(dir, pkg, version, exe)) {
      // Deno's cache may not keep the executable bit of a package file.
      if (existsSync(path) && Deno.build.os !== "windows") Deno.chmodSync(path, 0o755);
      if (await versionOf(path) === version) return path;
    }
  }
  throw new Error(
    `Cannot find Bun ${version}: run "deno install" (or "npm install"), or set PHYWARE_BUN to its path`,
  );
}
