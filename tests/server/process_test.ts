import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { startServerProcess } from "../../scripts/server_process.ts";
import { startTestServer } from "../support/server.ts";
import { delay } from "../../src/runtime/delay.ts";
import { tempDir } from "../support/temp_dir.ts";

Deno.test("as a process: SIGTERM stops the server cleanly and keeps every committed write", async () => {
  await using dir = await tempDir();
  const db = join(dir.path, "phyware.db");
  const key = `phy_${"P".repeat(43)}`;
  await using server = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: key } });
  const url = server.url;
  const invites = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      fetch(`${url}/v1/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ email: `p${i}@example.com` }),
      }).then(async (r) => {
        await r.body?.cancel();
        return r.status;
      })),
  );
  assert.deepEqual(invites, Array(10).fill(201));
  const status = await server.stop("SIGTERM");
  const err = server.stderr();
  assert.equal(status.code, 0, err);
  assert.equal(server.stdout(), "", "nothing on stdout (no runtime banner)");
  assert.equal(err.split("\n").filter((l) => / POST \/v1\/users 201 /.test(l)).length, 10);
  const sqlite = new DatabaseSync(db);
  const row = sqlite.prepare("SELECT count(*) AS n FROM users WHERE status = 'pending'").get() as {
    n: number;
  };
  sqlite.close();
  assert.equal(row.n, 10);
  assert.equal(
    [...Deno.readDirSync(join(dir.path, "outbox"))].filter((f) => f.name.endsWith(".eml")).length,
    10,
  );
});

Deno.test("as a process: SIGTERM with invites in flight keeps every 201 the clients got, and exits 0", async () => {
  await using dir = await tempDir();
  const db = join(dir.path, "phyware.db");
  const key = `phy_${"Q".repeat(43)}`;
  const created: string[] = [];
  const others: number[] = [];
  let inFlight = 0;
  let inFlightAtKill = -1;
  let err = "";
  const child = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: key } });
  const url = child.url;
  try {
    let n = 0;
    let stop = false;
    // Eight clients invite one after another without pause until the server stops answering.
    const worker = async () => {
      while (!stop) {
        inFlight++;
        try {
          const r = await fetch(`${url}/v1/users`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ email: `sig${n++}@example.com` }),
          });
          const body = await r.json() as { id?: string };
          if (r.status === 201 && body.id) created.push(body.id);
          else others.push(r.status);
        } catch {
          stop = true;
        } finally {
          inFlight--;
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (created.length < 30) await delay(1);
    inFlightAtKill = inFlight;
    const status = await child.stop("SIGTERM");
    stop = true;
    await Promise.all(workers);
    err = child.stderr();
    assert.equal(status.code, 0, err);
    assert.ok(inFlightAtKill > 0, "requests were in flight when SIGTERM came");
    assert.deepEqual(
      others,
      [],
      "every answer is a 201: requests in flight finish before the database closes",
    );
  } finally {
    await child.stop("SIGKILL");
  }
  // Restart on the same file and read every user a client was told was created.
  await using server = await startTestServer({ dbPath: db });
  const missing: string[] = [];
  for (const id of created) {
    const r = await fetch(`${server.url}/v1/users/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    await r.body?.cancel();
    if (r.status !== 200) missing.push(id);
  }
  assert.deepEqual(missing, [], `${missing.length} of ${created.length} created users lost`);
  const logged = err.split("\n").filter((l) => / POST \/v1\/users 201 /.test(l)).length;
  assert.ok(logged >= created.length, `${logged} 201s logged, ${created.length} received`);
});
