// Every program a test declares with needs() is in the "Tests" table of docs/development.md and installed by
// .ci/run, so a newcomer learns what a skipped test wants and CI never skips one.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
// Essential in Debian: on every system, so .ci/run need not install it.
const ESSENTIAL = new Set(["bsdutils"]);

async function declaredNeeds(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && entry.name !== "node_modules") await walk(new URL(`${entry.name}/`, dir));
      if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
      const text = await Deno.readTextFile(new URL(entry.name, dir));
      for (const [, args = ""] of text.matchAll(/\bneeds\(([^)]*)\)/g)) {
        for (const [, program, pkg] of args.matchAll(/\[\s*"([\w.+-]+)",\s*"([\w.+-]+)"\s*\]/g)) {
          if (program && pkg) found.set(program, pkg);
        }
      }
    }
  };
  await walk(new URL("tests/", ROOT));
  await walk(new URL("src/", ROOT));
  found.delete("sh"); // programs_test.ts's own example
  found.delete("phyware-no-such-program-x9");
  return found;
}

Deno.test("every program a test needs is in the Tests table of docs/development.md and installed by .ci/run", async () => {
  const doc = await Deno.readTextFile(new URL("docs/development.md", ROOT));
  const ci = await Deno.readTextFile(new URL(".ci/run", ROOT));
  const packages = /apt_packages=\(([^)]*)\)/.exec(ci)?.[1]?.split(/\s+/) ?? [];
  const needs = await declaredNeeds();
  assert.ok(needs.size > 0);
  for (const [program, pkg] of needs) {
    assert.match(
      doc,
      new RegExp(`^\\| \`${program}\` +\\| \`${pkg}\` +\\|`, "m"),
      `docs/development.md row for ${program}`,
    );
    if (!ESSENTIAL.has(pkg)) assert.ok(packages.includes(pkg), `.ci/run installs ${pkg}`);
  }
});
