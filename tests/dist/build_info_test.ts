import assert from "node:assert/strict";
import { join } from "node:path";
import { buildInfo, withBuildInfo } from "../../scripts/release/build_info.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

Deno.test("buildInfo carries the commit and the source date, not the clock", () => {
  assert.deepEqual(buildInfo(COMMIT, 1_700_000_000), { commit: COMMIT, date: "2023-11-14T22:13:20Z" });
  assert.deepEqual(buildInfo("unknown", 0).commit, null);
});

Deno.test("withBuildInfo writes the info for the build and restores the file after, even on failure", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "build_info.json");
  const original = '{ "commit": null, "date": null }\n';
  await Deno.writeTextFile(path, original);
  try {
    const seen = await withBuildInfo(path, buildInfo(COMMIT, 0), () => Deno.readTextFile(path));
    assert.deepEqual(JSON.parse(seen), { commit: COMMIT, date: "1970-01-01T00:00:00Z" });
    assert.deepEqual(await Deno.readTextFile(path), original);
    await assert.rejects(() =>
      withBuildInfo(path, buildInfo(COMMIT, 0), () => Promise.reject(new Error("boom")))
    );
    assert.deepEqual(await Deno.readTextFile(path), original);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
