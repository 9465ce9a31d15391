// Failures the real server gives, met by the CLI: a 500 INTERNAL when the store fails (injected through the
// service's own store seam), and a 503 with Retry-After while another process holds the database's write lock.
// The fault proxy (tests/support/faulty_proxy.ts) is only for what a proxy alone produces.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runCli } from "../support/context.ts";
import { holdWriteLock } from "../support/lock_holder.ts";
import { startTestServer } from "../support/server.ts";

Deno.test("a failing store: the server answers 500 INTERNAL, the CLI exits 5 naming its request id, nothing is written", async () => {
  const log: string[] = [];
  await using server = await startTestServer({ storeFaults: true, log: (line) => log.push(line) });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  server.failNextStoreCall("inviteUser", new Error("disk I/O error"));
  const r = await runCli(["users", "invite", "--email", "five@example.com"], { env });
  assert.equal(r.code, 5);
  assert.equal(r.stdout, "");
  const id = /^error: Internal server error \(request id: (req_\w+)\)\n$/.exec(r.stderr)?.[1];
  assert.ok(id, r.stderr);
  // The server logged the failure under the same request id, once: a 500 is not retried.
  assert.equal(
    log.filter((line) => line.includes(` error ${id}: `) && line.includes("disk I/O error")).length,
    1,
  );
  assert.equal(log.filter((line) => / POST \/v1\/users 500 /.test(line)).length, 1);
  const list = await runCli(["users", "list", "-o", "json"], { env });
  assert.deepEqual((JSON.parse(list.stdout) as { email: string }[]).map((u) => u.email), [
    "admin@default.invalid",
  ]);
});

Deno.test("a write while another process holds the lock: 503 with Retry-After, retried with its key, one user", async () => {
  const log: string[] = [];
  await using server = await startTestServer({ log: (line) => log.push(line) });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const lock = await holdWriteLock(server.dbPath);
  let invite: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
  const waits: number[] = [];
  const sleep = (ms: number) => {
    waits.push(ms);
    return new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 50)));
  };
  try {
    invite = runCli(["users", "invite", "--email", "busy@example.com", "-o", "json"], { env, sleep });
    // The server gives up on the lock after its bound (1 s) and says when to come back.
    const deadline = Date.now() + 10_000;
    while (!log.some((line) => / POST \/v1\/users 503 /.test(line)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await lock.release();
  }
  const r = await invite;
  assert.equal(r.code, 0, r.stderr);
  // One retry, after the Retry-After of 1 s the server sent.
  assert.deepEqual(waits, [1000]);
  assert.equal(JSON.parse(r.stdout).email, "busy@example.com");
  assert.equal(r.stderr, "");
  const posts = log.filter((line) => / POST \/v1\/users /.test(line)).map((line) =>
    / (\d{3}) /.exec(line)?.[1]
  );
  assert.deepEqual(posts, ["503", "201"]);
  using db = new DatabaseSync(server.dbPath);
  const row = db.prepare("SELECT count(*) AS n FROM users WHERE email = 'busy@example.com'").get();
  assert.equal(row?.n, 1);
});
