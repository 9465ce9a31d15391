import assert from "node:assert/strict";
import { join } from "node:path";
import { readTextFile } from "./read_text_file.ts";

Deno.test("readTextFile reads UTF-8, and a missing file or folder is undefined", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, ".env"), "PHYCLOUD_URL=http://h\u00e9\n");
    assert.equal(await readTextFile(join(dir, ".env")), "PHYCLOUD_URL=http://h\u00e9\n");
    assert.equal(await readTextFile(join(dir, "missing")), undefined);
    assert.equal(await readTextFile(join(dir, ".env", "below-a-file")), undefined);
    assert.equal(await readTextFile(dir), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
