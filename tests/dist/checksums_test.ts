import assert from "node:assert/strict";
import { join } from "node:path";
import { formatChecksums, parseChecksums, sha256Hex } from "../../scripts/release/checksums.ts";
import { tempDir } from "../support/temp_dir.ts";

Deno.test("formatChecksums writes sorted sha256sum text-mode lines", () => {
  const text = formatChecksums(new Map([["b.zip", "b".repeat(64)], ["a.tar.gz", "a".repeat(64)]]));
  assert.equal(text, `${"a".repeat(64)}  a.tar.gz\n${"b".repeat(64)}  b.zip\n`);
});

Deno.test("parseChecksums reads text and binary mode lines and rejects anything else", async (t) => {
  await t.step("round trip", () => {
    const sums = new Map([["x.tar.gz", "0".repeat(64)], ["y.zip", "f".repeat(64)]]);
    assert.deepEqual(parseChecksums(formatChecksums(sums)), sums);
  });
  await t.step("binary mode", () => {
    assert.deepEqual(parseChecksums(`${"1".repeat(64)} *x.zip\n`), new Map([["x.zip", "1".repeat(64)]]));
  });
  await t.step("malformed", () => {
    assert.throws(() => parseChecksums("abc  x.zip\n"), /Cannot parse checksums line 1: "abc {2}x\.zip"/);
  });
});

Deno.test("sha256sum -c accepts the file formatChecksums writes", async () => {
  await using dir = await tempDir();
  const data = new TextEncoder().encode("phyware");
  await Deno.writeFile(join(dir.path, "phyware_1.0.0_linux_x64.tar.gz"), data);
  await Deno.writeTextFile(
    join(dir.path, "checksums.txt"),
    formatChecksums(new Map([["phyware_1.0.0_linux_x64.tar.gz", sha256Hex(data)]])),
  );
  const out = await new Deno.Command("sha256sum", {
    args: ["-c", "--strict", "checksums.txt"],
    cwd: dir.path,
  })
    .output();
  assert.equal(new TextDecoder().decode(out.stdout), "phyware_1.0.0_linux_x64.tar.gz: OK\n");
  assert.equal(out.code, 0);
});
