import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "./temp_dir.ts";

Deno.test("tempDir is removed with its contents at the end of the scope", async () => {
  let path = "";
  {
    await using dir = await tempDir("phyware-temp-dir-test-");
    path = dir.path;
    await Deno.writeTextFile(join(dir.path, "file.txt"), "x");
    assert.match(path, /phyware-temp-dir-test-/);
    assert.equal((await Deno.stat(path)).isDirectory, true);
  }
  await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
});
