import assert from "node:assert/strict";
import { join } from "node:path";
import { LineTooLongError, MAX_LINE_LENGTH, readLines } from "./read_lines.ts";

async function withFile(content: string | Uint8Array, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-lines-" });
  try {
    const path = join(dir, "f");
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readLines drops \\n and \\r\\n, keeps blank lines, and yields a last line without a newline", async () => {
  await withFile("a\r\nb\n\nc", async (path) => {
    assert.deepEqual(await Array.fromAsync(readLines(path)), ["a", "b", "", "c"]);
  });
});

Deno.test("readLines: a line of exactly 1 MiB passes; one longer is an error naming its number, not its text", async () => {
  const ok = "x".repeat(MAX_LINE_LENGTH);
  await withFile(`first\n${ok}\r\nlast\n`, async (path) => {
    const lines = await Array.fromAsync(readLines(path));
    assert.deepEqual(lines.map((l) => l.length), [5, MAX_LINE_LENGTH, 4]);
  });
  await withFile(`first\nsecond\n${"s".repeat(MAX_LINE_LENGTH + 2)}\nlast\n`, async (path) => {
    await assert.rejects(() => Array.fromAsync(readLines(path)), (error) => {
      assert.ok(error instanceof LineTooLongError);
      assert.equal(error.line, 3);
      assert.equal(error.message, "Line 3 is longer than 1 MiB");
      return true;
    });
  });
});

Deno.test("readLines: 20 MB without a newline stops at 1 MiB, fast and without holding the 20 MB", async () => {
  const big = new Uint8Array(20_000_000).fill(0x61);
  await withFile(big, async (path) => {
    const started = performance.now();
    await assert.rejects(() => Array.fromAsync(readLines(path)), LineTooLongError);
    // The old reader re-split the whole buffer on every chunk: 20 MB took seconds and 800 MB.
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });
});

Deno.test("readLines takes linear time: 8 MB in 1 MiB lines of 64 KiB chunks", async () => {
  const line = "y".repeat(MAX_LINE_LENGTH - 10);
  await withFile(Array(8).fill(line).join("\n"), async (path) => {
    const started = performance.now();
    assert.equal((await Array.fromAsync(readLines(path))).length, 8);
    assert.ok(performance.now() - started < 3000, `${performance.now() - started} ms`);
  });
});
