// The README and docs/ are the map of the project: every file they link to and every source path they name
// exists, so a move that leaves a page stale fails here rather than misleading a newcomer.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;
const PAGES = [
  "README.md",
  ...[...Deno.readDirSync(join(ROOT, "docs"))]
    .filter((e) => e.name.endsWith(".md")).map((e) => `docs/${e.name}`),
];

Deno.test("every relative link of the README and docs/ leads to a file", () => {
  const broken: string[] = [];
  for (const page of PAGES) {
    const text = Deno.readTextFileSync(join(ROOT, page));
    for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      if (target === undefined || /^[a-z]+:/.test(target)) continue;
      if (!existsSync(join(ROOT, dirname(page), target))) broken.push(`${page}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("every path under src/, tests/, scripts/ or bench/ the README and docs/ name exists", () => {
  const missing: string[] = [];
  for (const page of PAGES) {
    const text = Deno.readTextFileSync(join(ROOT, page));
    for (const [path] of text.matchAll(/\b(?:src|tests|scripts|bench)\/[\w./-]*[\w/]/g)) {
      if (path.includes("<") || /\/\.work\b/.test(path)) continue;
      if (!existsSync(join(ROOT, path))) missing.push(`${page}: ${path}`);
    }
  }
  assert.deepEqual(missing, []);
});
