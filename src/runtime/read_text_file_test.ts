import assert from "node:assert/strict";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";
import { readTextFile, readTextFileUpTo } from "./read_text_file.ts";

async function withFiles(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, ".env"), "PHYCLOUD_URL=http://h\u00e9\n");
    await Deno.writeTextFile(join(dir, "empty"), "");
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// An empty file and a device cannot be mapped: Bun then reads them with Bun.file.
const PATHS = (dir: string) => [
  join(dir, ".env"),
  join(dir, "missing"),
  join(dir, ".env", "below-a-file"),
  dir,
  join(dir, "empty"),
  "/dev/null",
];
// A folder is no missing file: it fails with EISDIR (so nobody is told "no such file" of a folder).
const EXPECTED = ["PHYCLOUD_URL=http://h\u00e9\n", undefined, undefined, "EISDIR", "", ""];
const READ_ALL = "(path) => readTextFile(path).catch((error) => error.code)";

Deno.test("readTextFile reads UTF-8, a missing file or folder is undefined, a folder fails with EISDIR", async () => {
  await withFiles(async (dir) => {
    const read = (path: string) => readTextFile(path).catch((error) => error.code);
    assert.deepEqual(await Promise.all(PATHS(dir).map(read)), EXPECTED);
  });
});

Deno.test("readTextFile does the same under Bun, where it maps the file or reads it with Bun.file", async () => {
  const bun = await findBun(new URL("../..", import.meta.url).pathname, pkg.devDependencies.bun, () => {});
  await withFiles(async (dir) => {
    const probe = join(dir, "probe.ts");
    await Deno.writeTextFile(
      probe,
      `import { readTextFile } from ${
        JSON.stringify(new URL("./read_text_file.ts", import.meta.url).pathname)
      };
console.log(JSON.stringify(await Promise.all(${JSON.stringify(PATHS(dir))}.map(${READ_ALL}))));`,
    );
    const out = await new Deno.Command(bun, { args: ["--no-env-file", probe], stdout: "piped" }).output();
    assert.equal(new TextDecoder().decode(out.stdout), JSON.stringify(EXPECTED) + "\n");
  });
});

Deno.test("readTextFileUpTo reads at most limit + 1 bytes, whatever the file is", async () => {
  assert.equal((await readTextFileUpTo("/dev/zero", 8))?.length, 9);
  assert.equal(await readTextFileUpTo("/nonexistent-phyware/x", 8), undefined);
  await assert.rejects(readTextFileUpTo("/", 8), { code: "EISDIR" });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/k`, "phy_abc\n");
    assert.equal(await readTextFileUpTo(`${dir}/k`, 8192), "phy_abc\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
