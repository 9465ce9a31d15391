// Start-up is a feature: what `--version`, `users get` and `users list` evaluate before doing their work is
// bundled as the release build bundles it, and must load neither commander nor the built-ins that cost Bun
// milliseconds each (bench/RESULTS.md: node:fs, node:tty, node:util, node:child_process, node:readline, and
// node:os, about 5 ms, and node:path, about 2 ms), nor node:process. `--version` loads no built-in at all.
import assert from "node:assert/strict";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";
import { tempDir } from "../support/temp_dir.ts";

const root = new URL("../..", import.meta.url).pathname;
const COSTLY = [
  // Not costly to evaluate, but Bun builds its namespace from the whole object (src/runtime/process.ts).
  "process",
  // node:url: 250 page faults, a third of what `users get` spends above its floor.
  "url",
  "fs",
  "fs/promises",
  "tty",
  "util",
  "child_process",
  "readline",
  "net",
  "stream",
  "os",
  "path",
];

/** The chunks a chunk loads statically, itself included. */
async function staticGraph(dir: string, chunk: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(chunk)) return seen;
  seen.add(chunk);
  const text = await Deno.readTextFile(join(dir, chunk));
  for (const [, target] of text.matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) {
    if (target) await staticGraph(dir, target, seen);
  }
  return seen;
}

Deno.test("the start-up path of --version, users get and users list loads no commander and no costly built-in", async () => {
  const bun = await findBun(root, pkg.devDependencies.bun, () => {});
  await using dir = await tempDir();
  const out = await new Deno.Command(bun, {
    args: [
      "build",
      "main.ts",
      "--production",
      "--format=esm",
      "--splitting",
      "--target=bun",
      `--outdir=${dir.path}`,
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  // `--version` runs main.js's static graph alone; everything else goes on to the one chunk it imports lazily.
  const versionPath = await staticGraph(dir.path, "main.js");
  const lazy: string[] = [];
  for (const chunk of versionPath) {
    const text = await Deno.readTextFile(join(dir.path, chunk));
    lazy.push(...[...text.matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1] ?? ""));
    assert.deepEqual(
      [...text.matchAll(/(?:from|import)\s*"(?:node:)?([a-z_/]+)"/g)].map((m) => m[1]),
      [],
      `${chunk}, on the path of --version, imports a built-in`,
    );
  }
  assert.equal(lazy.length, 1, "main.js imports the CLI lazily, in one chunk");
  const chunks = await staticGraph(dir.path, lazy[0] ?? "", new Set(versionPath));
  const verbs: string[] = [];
  for (const chunk of chunks) {
    const text = await Deno.readTextFile(join(dir.path, chunk));
    verbs.push(...[...text.matchAll(/import\("\.\/((?:get|list)-[^"]+)"\)/g)].map((m) => m[1] ?? ""));
  }
  assert.equal(verbs.length, 2, "the start-up chunks import the get and list modules lazily");
  for (const verb of verbs) for (const c of await staticGraph(dir.path, verb)) chunks.add(c);
  for (const chunk of chunks) {
    const text = await Deno.readTextFile(join(dir.path, chunk));
    const builtins = [...text.matchAll(/(?:from|import)\s*"(?:node:)?([a-z_/]+)"/g)].map((m) => m[1] ?? "");
    assert.deepEqual(builtins.filter((b) => COSTLY.includes(b)), [], `${chunk} imports a costly built-in`);
    assert.ok(!text.includes("commander.unknownOption"), `${chunk} holds commander`);
  }
});
