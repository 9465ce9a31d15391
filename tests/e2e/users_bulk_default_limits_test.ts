// Issue 17 section 2: 150 new rows from one file against `phyware server start` with every limit at its
// default (60 invitations a minute per key, bursts of 60) finish with 0 failed and exit 0, paced from the
// server's RateLimit fields; a rerun of the same file is 150 `exists` at once (a 409 costs no invitation
// budget). Takes about 90 s of wall time: the server lets one invitation a second through after the burst.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { startServerProcess } from "../../scripts/server_process.ts";
import { tempDir } from "../support/temp_dir.ts";

Deno.test("bulk invite: 150 new rows at the server's default limits finish 0 failed, a rerun is 150 exists at once", async () => {
  const apiKey = `phy_${"B".repeat(43)}`;
  await using server = await startServerProcess({ env: { PHYCLOUD_BOOTSTRAP_API_KEY: apiKey } });
  await using dir = await tempDir("phyware-bulk-limits-");
  const env = { PHYCLOUD_URL: `http://127.0.0.1:${server.port}`, PHYCLOUD_API_KEY: apiKey };
  const file = join(dir.path, "team.csv");
  const lines = ["First Name,Last Name,Email Address [Required],Role"];
  for (let i = 0; i < 150; i++) {
    lines.push(`Ada,Lovelace ${i},ada.${i}@example.com,${i % 25 === 0 ? "Admin" : "Member"}`);
  }
  await Deno.writeTextFile(file, lines.join("\r\n") + "\r\n");

  const started = performance.now();
  const first = await runCli(["users", "invite", "--from-file", file, "-o", "ndjson"], { env });
  const firstSeconds = (performance.now() - started) / 1000;
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stderr, "150 invited, 0 already existed, 0 failed\n");
  const rows = first.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => r.result), Array(150).fill("invited"));
  assert.deepEqual(rows.map((r) => r.line), Array.from({ length: 150 }, (_, i) => i + 2));
  assert.equal(rows.filter((r) => r.role === "admin").length, 6);
  // The burst of 60, then one a second: it cannot be much faster, and pacing keeps it from being slower.
  assert.ok(firstSeconds > 80, `took ${firstSeconds} s`);
  console.error(`150 rows at default limits: ${firstSeconds.toFixed(1)} s`);

  const again = performance.now();
  const rerun = await runCli(["users", "invite", "--from-file", file, "-o", "ndjson"], { env });
  const rerunSeconds = (performance.now() - again) / 1000;
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.equal(rerun.stderr, "0 invited, 150 already existed, 0 failed\n");
  const back = rerun.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(back.map((r) => r.result), Array(150).fill("exists"));
  // Each carries the existing user's id and status (GET /v1/users?email=).
  assert.deepEqual(back.map((r) => [r.line, r.id, r.status]), rows.map((r) => [r.line, r.id, "pending"]));
  assert.ok(rerunSeconds < 15, `the rerun took ${rerunSeconds} s`);
  console.error(`rerun of 150 exists: ${rerunSeconds.toFixed(1)} s`);
  // The server refused some requests on the way (the pacer probes): none of it reached the results.
  assert.match(server.stderr(), /POST \/v1\/users 201/);
});
