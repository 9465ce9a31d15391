// Every program a test declares with needs() is in the "Tests" table of docs/development.md and installed by
// .ci/run, so a newcomer learns what a skipped test wants and CI never skips one. A call whose programs are
// not written out as literal ["program", "package"] pairs would escape this check, so it is a failure too.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
// Essential in Debian: on every system, so neither .ci/run nor the Tests table need name them.
const ESSENTIAL = new Set(["bsdutils", "bash", "coreutils", "dpkg", "grep", "util-linux"]);
// programs_test.ts's own examples.
const EXAMPLES = new Set(["sh", "phyware-no-such-program-x9"]);
// Where needs(), needsKit() and onLinuxX64() are defined (they pass their arguments on), and this file's own words.
const DEFINITIONS = new Set([
  "tests/support/programs.ts",
  "tests/release/kit.ts",
  "tests/support/needs_listed_test.ts",
]);
const PAIR = /\[\s*"([\w.+-]+)",\s*"([\w.+-]+)"\s*\]/g;
const LITERAL_PAIRS = /^\s*(\[\s*"[\w.+-]+",\s*"[\w.+-]+"\s*\]\s*,?\s*)*$/;

/** The argument text of each `needs(...)`, `needsKit(...)` and `onLinuxX64(...)` call, parentheses balanced. */
function needsCalls(text: string): string[] {
  const calls: string[] = [];
  for (const match of text.matchAll(/(?<![\w$])(?<![\w$)\]]\.)(?:needs|needsKit|onLinuxX64)\(/g)) {
    const start = (match.index ?? 0) + match[0].length;
    let depth = 1;
    let end = start;
    while (end < text.length && depth > 0) {
      const c = text[end];
      if (c === "(") depth++;
      if (c === ")") depth--;
      end++;
    }
    calls.push(text.slice(start, end - 1));
  }
  return calls;
}

async function declaredNeeds(): Promise<{ needs: Map<string, string>; opaque: string[] }> {
  const needs = new Map<string, string>();
  const opaque: string[] = [];
  const walk = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && entry.name !== "node_modules") await walk(new URL(`${entry.name}/`, dir));
      if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
      const file = new URL(entry.name, dir);
      const path = file.pathname.slice(ROOT.pathname.length);
      if (DEFINITIONS.has(path)) continue;
      for (const args of needsCalls(await Deno.readTextFile(file))) {
        if (!LITERAL_PAIRS.test(args)) opaque.push(`${path}: needs(${args})`);
        for (const [, program, pkg] of args.matchAll(PAIR)) {
          if (program && pkg && !EXAMPLES.has(program)) needs.set(program, pkg);
        }
      }
    }
  };
  for (const dir of ["tests/", "src/", "scripts/", "bench/"]) await walk(new URL(dir, ROOT));
  return { needs, opaque };
}

Deno.test("needsCalls finds literal and computed arguments, nested parentheses included", () => {
  const source = `a(); ...needs(["zsh", "zsh"]), x.needs(1), needsKit(), needs([shell, PACKAGES[f(shell)]])`;
  assert.deepEqual(needsCalls(source), [`["zsh", "zsh"]`, "", `[shell, PACKAGES[f(shell)]]`]);
  assert.match(`["zsh", "zsh"], ["fish", "fish"]`, LITERAL_PAIRS);
  assert.doesNotMatch(`[shell, PACKAGES[shell]]`, LITERAL_PAIRS);
});

Deno.test("every needs() call names its programs and packages as literals", async () => {
  const { opaque } = await declaredNeeds();
  assert.deepEqual(opaque, []);
});

Deno.test("every program a test needs is in the Tests table of docs/development.md and installed by .ci/run", async () => {
  const docs = await Deno.readTextFile(new URL("docs/development.md", ROOT));
  const ci = await Deno.readTextFile(new URL(".ci/run", ROOT));
  const packages = /apt_packages=\(([^)]*)\)/.exec(ci)?.[1]?.split(/\s+/) ?? [];
  const { needs } = await declaredNeeds();
  assert.ok(needs.size > 0);
  const missing: string[] = [];
  for (const [program, pkg] of needs) {
    if (ESSENTIAL.has(pkg)) continue;
    if (!new RegExp(`^\\| \`${program.replaceAll(".", "\\.")}\` +\\| \`${pkg}\` +\\|`, "m").test(docs)) {
      missing.push(`Tests table row | \`${program}\` | \`${pkg}\` |`);
    }
    if (!packages.includes(pkg)) missing.push(`.ci/run installs ${pkg}`);
  }
  assert.deepEqual(missing, []);
});
