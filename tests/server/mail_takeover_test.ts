// Issue 18 item 6: after a kill -9, a restart on the same host takes over at once the invitation emails the
// dead process had claimed, instead of waiting out their lease (60 s by default).
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { delay } from "../../src/runtime/delay.ts";
import { newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { startSmtpSink } from "../support/smtp_sink.ts";
import { startServerProcess } from "../../scripts/server_process.ts";

/** An SMTP server that accepts connections and never says a word: every send hangs. */
function silentSmtp(): { url: string; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections: Deno.Conn[] = [];
  void (async () => {
    try {
      for await (const conn of listener) connections.push(conn);
    } catch { /* closed */ }
  })();
  return {
    url: `smtp://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close() {
      try {
        listener.close();
      } catch { /* already closed */ }
      for (const conn of connections) {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
    },
  };
}

function claimedBy(db: string): { pid: number | null; attempts: number }[] {
  const conn = new DatabaseSync(db);
  try {
    conn.exec("PRAGMA busy_timeout = 2000");
    return conn.prepare("SELECT holder_pid AS pid, attempts FROM invitation_outbox WHERE state = 'pending'")
      .all().map((row) => ({ pid: row.pid as number | null, attempts: Number(row.attempts) }));
  } finally {
    conn.close();
  }
}

Deno.test("after kill -9, a restart takes over the dead server's claimed emails at once, not after the lease", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-takeover-" });
  const db = join(dir, "phyware.db");
  const key = newSecret(SECRET_PREFIX.apiKey);
  const silent = silentSmtp();
  await using sink = await startSmtpSink();
  try {
    // First life, at the default lease: the SMTP server never answers, so the claimed sends hang.
    const first = await startServerProcess({
      db,
      args: ["--smtp-url", silent.url],
      env: { PHYCLOUD_BOOTSTRAP_API_KEY: key },
    });
    const emails = ["a@example.com", "b@example.com", "c@example.com"];
    for (const email of emails) {
      const r = await fetch(`${first.url}/v1/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      await r.body?.cancel();
      assert.equal(r.status, 201);
    }
    const until = Date.now() + 5000;
    while (claimedBy(db).filter((row) => row.pid === first.pid).length < 3 && Date.now() < until) {
      await delay(20);
    }
    assert.deepEqual(claimedBy(db), emails.map(() => ({ pid: first.pid, attempts: 1 })));
    await first.stop("SIGKILL");

    // Second life: the dead process's rows go out within seconds, well before its 60 s lease ends.
    const started = performance.now();
    const second = await startServerProcess({
      db,
      args: ["--smtp-url", sink.smtpUrl],
      env: { PHYCLOUD_BOOTSTRAP_API_KEY: key },
    });
    try {
      const messages = await sink.waitForMessages(3, 10_000);
      const seconds = (performance.now() - started) / 1000;
      assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);
      assert.deepEqual(messages.map((m) => /^To: (.*)\r$/m.exec(m)?.[1]).sort(), emails);
    } finally {
      await second.stop("SIGKILL");
    }
    assert.match(
      second.stderr(),
      new RegExp(`mail: took over 3 invitation emails claimed by process ${first.pid}, which is gone`),
    );
  } finally {
    silent.close();
    await Deno.remove(dir, { recursive: true });
  }
});
