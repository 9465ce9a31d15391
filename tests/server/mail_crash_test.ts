import assert from "node:assert/strict";
import { join } from "node:path";
import { newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { delay } from "../../src/runtime/delay.ts";
import { startSmtpSink } from "../support/smtp_sink.ts";
import { type ServerProcess, startServerProcess } from "../../scripts/server_process.ts";

const SERVER = new URL("./crash_server.ts", import.meta.url).pathname;

function spawnServer(db: string, smtpUrl: string, key: string): Promise<ServerProcess> {
  return startServerProcess({ command: [Deno.execPath(), "run", "-A", "--quiet", SERVER, db, smtpUrl, key] });
}

/** An SMTP server that accepts connections and never says a word: every send hangs until killed. */
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

Deno.test("kill -9 with invitations in flight: after a restart every acknowledged user gets an email", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-mail-crash-" });
  const db = join(dir, "phyware.db");
  const key = newSecret(SECRET_PREFIX.apiKey);
  const silent = silentSmtp();
  await using sink = await startSmtpSink();
  try {
    // First life: mail cannot get out (the SMTP server hangs), and clients keep inviting until the kill.
    const first = await spawnServer(db, silent.url, key);
    const acknowledged: string[] = [];
    let killed = false;
    const client = async (c: number) => {
      for (let n = 0; !killed; n++) {
        const email = `c${c}-${n}@example.com`;
        try {
          const r = await fetch(`${first.url}/v1/users`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ email }),
          });
          await r.body?.cancel();
          if (r.status === 201) acknowledged.push(email);
        } catch {
          return; // the server is gone: this request was never acknowledged
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    while (acknowledged.length < 60) await delay(5);
    await first.stop("SIGKILL");
    killed = true;
    await Promise.all(clients);
    silent.close();
    assert.deepEqual(await sink.messages(), []);

    // Second life, with a working SMTP server: the outbox is drained, leases of the dead process included.
    const second = await spawnServer(db, sink.smtpUrl, key);
    try {
      const deadline = Date.now() + 30_000;
      let missing = acknowledged;
      while (missing.length > 0 && Date.now() < deadline) {
        await delay(100);
        const to = new Set((await sink.messages()).map((m) => /^To: (.*)\r$/m.exec(m)?.[1]));
        missing = acknowledged.filter((email) => !to.has(email));
      }
      assert.deepEqual(
        missing,
        [],
        `${missing.length} of ${acknowledged.length} acknowledged users got no email`,
      );
      for (const message of await sink.messages()) assert.match(message, /accept\?token=phi_[0-9A-Za-z]+/);
    } finally {
      await second.stop("SIGKILL");
    }
  } finally {
    silent.close();
    await Deno.remove(dir, { recursive: true });
  }
});
