import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { spoolBytes } from "./line_spool.ts";

async function* chunks(n: number): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (let i = 0; i < n; i++) yield encoder.encode(i % 7 === 0 ? "\n" : `row ${i},"quoted, comma"\r\n`);
}

Deno.test("spoolBytes keeps every byte in a 0600 file in a 0700 folder, removed on dispose", async () => {
  let path: string;
  {
    await using spool = await spoolBytes(chunks(20_000));
    path = spool.path;
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(path))).mode & 0o777, 0o700);
    const expected = (await Array.fromAsync(chunks(20_000))).map((c) => new TextDecoder().decode(c)).join("");
    assert.equal(await readFile(path, "utf8"), expected);
  }
  await assert.rejects(() => stat(dirname(path)), { code: "ENOENT" });
});

Deno.test("spoolBytes removes its folder when the input fails", async () => {
  const before = new Set(await spoolDirs());
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array([0x61]);
    throw new Error("input broke");
  }
  await assert.rejects(() => spoolBytes(failing()), /input broke/);
  assert.deepEqual((await spoolDirs()).filter((d) => !before.has(d)), []);
});

async function spoolDirs(): Promise<string[]> {
  const { tmpdir } = await import("node:os");
  const names: string[] = [];
  for await (const entry of Deno.readDir(tmpdir())) {
    if (entry.name.startsWith("phyware-stdin-")) names.push(entry.name);
  }
  return names;
}
