// Issue 17 section 2: pacing from the server's limits. A 429'd row is retried until done; --max-wait bounds
// the wait; off a terminal, a wait of 5 s or more is one line on stderr (never one per retry); bulk
// deactivate paces the same way (shared code).
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";

const ndjson = (text: string) => text.trimEnd().split("\n").map((l) => JSON.parse(l));

Deno.test("--max-wait: rows that would wait longer fail RATE_LIMITED at once; nothing else does", async () => {
  await using server = await startTestServer({ inviteRateLimit: 1 });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const started = performance.now();
  const r = await runCli([
    "users",
    "invite",
    ...["--email", "w1@example.com", "--email", "w2@example.com", "--email", "w3@example.com"],
    ...["--max-wait", "2s", "-o", "ndjson"],
  ], { env });
  assert.ok(performance.now() - started < 10_000);
  assert.equal(r.code, 1);
  const rows = ndjson(r.stdout);
  assert.deepEqual(rows.map((x) => [x.result, x.error?.code ?? null]), [
    ["invited", null],
    ["failed", "RATE_LIMITED"],
    ["failed", "RATE_LIMITED"],
  ]);
  assert.equal(r.stderr.split("\n")[0], "error: 1 invited, 0 already existed, 2 failed");
  assert.doesNotMatch(r.stderr, /waiting/, "nobody waited");
});

Deno.test("off a terminal, a wait of 5 s or more is one stderr line, and the row then goes through", async () => {
  await using server = await startTestServer({ inviteRateLimit: 6 });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const emails = Array.from({ length: 7 }, (_, i) => ["--email", `p${i}@example.com`]).flat();
  const r = await runCli(["users", "invite", ...emails, "-o", "ndjson"], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ndjson(r.stdout).map((x) => x.result), Array(7).fill("invited"));
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0] ?? "", /^Rate limited by the server: waiting (9|10) s \([4-6] of 7 done\)$/);
  assert.equal(lines[1], "7 invited, 0 already existed, 0 failed");
});

Deno.test("bulk deactivate --from-file is paced like bulk invite: 429s are waited out, 0 failed", async () => {
  // 20 requests a minute per key: 11 ids are 22 requests (a get and a deactivate each).
  await using server = await startTestServer({ rateLimit: 20 });
  await using dir = await tempDir("phyware-pace-deact-");
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  await server.seedUsers(11);
  const listed = await runCli(["users", "list", "--role", "member", "-o", "id"], { env });
  const ids = listed.stdout.trim().split("\n");
  assert.equal(ids.length, 11, listed.stderr);
  const path = join(dir.path, "ids.txt");
  await Deno.writeTextFile(path, ids.join("\n") + "\n");
  const r = await runCli(["users", "deactivate", "--from-file", path, "--yes", "-o", "ndjson"], {
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ndjson(r.stdout).map((x) => x.result), Array(11).fill("deactivated"));
  assert.match(r.stderr, /^11 deactivated, 0 already inactive, 0 failed\n$/m);
});
