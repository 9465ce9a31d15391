import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { readLines } from "../../runtime/read_lines.ts";
import { spoolLines } from "./line_spool.ts";

async function* someLines(n: number): AsyncGenerator<string> {
  for (let i = 0; i < n; i++) yield i % 7 === 0 ? "" : `row ${i},"quoted, comma"`;
}

Deno.test("spoolLines keeps every line (blank ones too) in a 0600 file in a 0700 folder, removed on dispose", async () => {
  let path: string;
  {
    await using spool = await spoolLines(someLines(20_000));
    path = spool.path;
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(path))).mode & 0o777, 0o700);
    const back: string[] = [];
    for await (const line of readLines(path)) back.push(line);
    assert.deepEqual(back, await Array.fromAsync(someLines(20_000)));
  }
  await assert.rejects(() => stat(dirname(path)), { code: "ENOENT" });
});
