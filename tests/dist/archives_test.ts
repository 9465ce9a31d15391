import assert from "node:assert/strict";
import { join } from "node:path";
import { needs } from "../support/programs.ts";
import { tarGz } from "../../scripts/release/tar_gz.ts";
import { dosStamp, zip } from "../../scripts/release/zip.ts";
import type { ArchiveEntry } from "../../scripts/release/archive_entry.ts";
import { tempDir } from "../support/temp_dir.ts";

const MTIME = 1767225600; // 2026-01-01T00:00:00Z
const encoder = new TextEncoder();

function entries(): ArchiveEntry[] {
  return [
    { name: "phyware", mode: 0o755, data: encoder.encode("#!/bin/sh\necho 1.2.3\n".repeat(100)) },
    { name: "README.md", mode: 0o644, data: encoder.encode("# phyware\n") },
    { name: "LICENSE", mode: 0o644, data: encoder.encode("MIT\n") },
  ];
}

async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, ...(cwd ? { cwd } : {}), stdout: "piped", stderr: "piped" })
    .output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test("tarGz gives the same bytes for the same entries in any order", () => {
  assert.deepEqual(tarGz(entries(), MTIME), tarGz(entries().reverse(), MTIME));
});

Deno.test("tarGz writes no timestamp in the gzip header and says Unix", () => {
  const gz = tarGz(entries(), MTIME);
  assert.deepEqual([...gz.subarray(0, 4)], [0x1f, 0x8b, 8, 0]); // magic, deflate, no name/comment flags
  assert.deepEqual([...gz.subarray(4, 8)], [0, 0, 0, 0]);
  assert.equal(gz[9], 3);
});

Deno.test("tar lists sorted entries owned by 0:0 with their modes and the fixed mtime", async () => {
  await using dir = await tempDir();
  await Deno.writeFile(join(dir.path, "a.tar.gz"), tarGz(entries(), MTIME));
  const listing = await run("tar", ["--numeric-owner", "--utc", "-tvzf", "a.tar.gz"], dir.path);
  const lines = listing.trim().split("\n").map((l) => l.split(/\s+/));
  assert.deepEqual(lines.map((l) => [l[0], l[1], l[3], l[4], l[5]]), [
    ["-rw-r--r--", "0/0", "2026-01-01", "00:00", "LICENSE"],
    ["-rw-r--r--", "0/0", "2026-01-01", "00:00", "README.md"],
    ["-rwxr-xr-x", "0/0", "2026-01-01", "00:00", "phyware"],
  ]);
  await run("tar", ["-xzf", "a.tar.gz"], dir.path);
  assert.equal(await Deno.readTextFile(join(dir.path, "README.md")), "# phyware\n");
  assert.equal(((await Deno.stat(join(dir.path, "phyware"))).mode ?? 0) & 0o777, 0o755);
});

Deno.test("dosStamp gives a Date whose local fields are the UTC time, clamped to 1980", () => {
  const stamp = dosStamp(MTIME + 3723);
  assert.deepEqual(
    [stamp.getFullYear(), stamp.getMonth(), stamp.getDate(), stamp.getHours(), stamp.getMinutes()],
    [2026, 0, 1, 1, 2],
  );
  assert.equal(dosStamp(0).getFullYear(), 1980);
});

Deno.test(
  "zip writes the UTC time whatever the time zone, and unzip lists it",
  needs(["unzip", "unzip"]),
  async () => {
    await using dir = await tempDir();
    const script = `import { zip } from "${new URL("../../scripts/release/zip.ts", import.meta.url).href}";
    const bytes = zip([{ name: "a", mode: 0o644, data: new Uint8Array([1]) }], ${MTIME});
    Deno.stdout.writeSync(new TextEncoder().encode(Array.from(bytes).join(",")));`;
    const zips: string[] = [];
    for (const tz of ["UTC", "America/New_York", "Asia/Kolkata"]) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        env: { TZ: tz },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      zips.push(new TextDecoder().decode(out.stdout));
    }
    assert.equal(zips[1], zips[0]);
    assert.equal(zips[2], zips[0]);
    await Deno.writeFile(join(dir.path, "a.zip"), new Uint8Array((zips[0] ?? "").split(",").map(Number)));
    assert.match(await run("unzip", ["-l", "a.zip"], dir.path), /2026-01-01 00:00 +a\n/);
  },
);

Deno.test(
  "zip is deterministic and unzip extracts every entry intact",
  needs(["unzip", "unzip"]),
  async () => {
    assert.deepEqual(zip(entries(), MTIME), zip(entries().reverse(), MTIME));
    await using dir = await tempDir();
    await Deno.writeFile(join(dir.path, "a.zip"), zip(entries(), MTIME));
    assert.match(await run("unzip", ["-t", "a.zip"], dir.path), /No errors detected/);
    assert.equal(await run("unzip", ["-Z1", "a.zip"], dir.path), "LICENSE\nREADME.md\nphyware\n");
    await run("unzip", ["-q", "a.zip", "-d", "out"], dir.path);
    assert.equal(
      await Deno.readTextFile(join(dir.path, "out", "phyware")),
      "#!/bin/sh\necho 1.2.3\n".repeat(100),
    );
    assert.equal(((await Deno.stat(join(dir.path, "out", "phyware"))).mode ?? 0) & 0o777, 0o755);
  },
);
