/**
 * Tests that need a program a fresh machine lacks (zsh, fish, tmux, python3, qemu, bwrap, mandoc, ...).
 * On a developer's machine without it, the test is skipped with a visible reason naming the program and its
 * Debian package; under `CI=true` (where `.ci/run` installs everything) it runs and fails instead.
 */

const found = new Map<string, boolean>();

/** Whether an executable of that name is on PATH (or, for an absolute path, exists and is executable). */
export function hasProgram(program: string): boolean {
  const known = found.get(program);
  if (known !== undefined) return known;
  const path = Deno.env.get("PATH") ?? "";
  const candidates = program.includes("/")
    ? [program]
    : path.split(":").filter(Boolean).map((dir) => `${dir}/${program}`);
  const present = candidates.some((candidate) => {
    try {
      const info = Deno.statSync(candidate);
      return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
    } catch {
      return false;
    }
  });
  found.set(program, present);
  return present;
}

/** Whether the suite runs in CI, where a missing program is a failure rather than a skip. */
export function inCi(): boolean {
  return Deno.env.get("CI") === "true";
}

/**
 * Test options for a test that runs only on this platform (`arch` optional): skipped elsewhere with the reason,
 * except under `CI=true`, where it runs (and fails if the CI machine is not that platform).
 */
export function needsPlatform(os: typeof Deno.build.os, arch?: typeof Deno.build.arch): { ignore: boolean } {
  if (Deno.build.os === os && (arch === undefined || Deno.build.arch === arch)) return { ignore: false };
  if (inCi()) return { ignore: false };
  console.error(
    `skipped: needs ${os}${arch === undefined ? "" : ` ${arch}`}; under CI=true this is a failure`,
  );
  return { ignore: true };
}

/**
 * Test options for a test that needs programs, each given with its Debian package:
 * `Deno.test({ name, ...needs(["zsh", "zsh"]), fn })`. Prints why when it skips.
 */
export function needs(...programs: [program: string, debianPackage: string][]): { ignore: boolean } {
  const missing = programs.filter(([program]) => !hasProgram(program));
  if (missing.length === 0 || inCi()) return { ignore: false };
  const what = missing.map(([program, pkg]) => `${program} (apt-get install ${pkg})`).join(", ");
  console.error(`skipped: needs ${what}; under CI=true this is a failure`);
  return { ignore: true };
}
