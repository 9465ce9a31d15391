/**
 * Mail throughput (issue 18 item 5): how many invitation emails a second the server hands to a local SMTP
 * server. 10,000 invitations (by default) are queued in a fresh database, as that many invites would
 * leave them; the server then starts with `--smtp-url` pointing at a counting SMTP sink (the npm package
 * `smtp-server`, in this process), and the figure is the count over the time from the server's listening
 * line until the sink has received the last message. The sink also counts SMTP connections: with the pool,
 * a few connections carry many messages each. In `deno task bench --only mail` it runs the release
 * binary; standalone it runs the source with Deno, or any command given as `--cli`:
 *
 *   deno run -A bench/mail_throughput.ts [--cli "dist/phyware"] [--count 10000]
 */
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { DatabaseSync } from "node:sqlite";
import { SMTPServer } from "smtp-server";
import { newId, newSecret, SECRET_PREFIX } from "../src/server/ids.ts";
import { hashSecret } from "../src/server/ids.ts";
import { openStore } from "../src/server/store/open.ts";
import { transaction } from "../src/server/store/transaction.ts";
import { emailKey } from "../src/email/key.ts";
import type { Section } from "./section.ts";
import { startServerProcess } from "../scripts/server_process.ts";
import { measured } from "./process_stats.ts";

interface CountingSink {
  url: string;
  messages: () => number;
  connections: () => number;
  /** Resolves with performance.now() of the `count`th message. */
  reached(count: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

function startCountingSink(): Promise<CountingSink> {
  let messages = 0;
  let connections = 0;
  let waiting: { count: number; resolve: (at: number) => void } | undefined;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    closeTimeout: 1,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        messages++;
        if (waiting && messages >= waiting.count) waiting.resolve(performance.now());
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      resolve({
        url: `smtp://127.0.0.1:${port}`,
        messages: () => messages,
        connections: () => connections,
        reached(count, timeoutMs) {
          if (messages >= count) return Promise.resolve(performance.now());
          return new Promise((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`The sink got ${messages} of ${count} messages in ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiting = {
              count,
              resolve: (at) => {
                clearTimeout(timer);
                done(at);
              },
            };
          });
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** Creates the database with its default tenant and `count` pending users whose invitations are queued. */
async function queueInvitations(dbPath: string, count: number): Promise<void> {
  const store = await openStore(dbPath);
  const now = new Date().toISOString();
  await store.bootstrap({
    name: "default",
    adminEmail: "admin@default.invalid",
    apiKeyHash: hashSecret(newSecret(SECRET_PREFIX.apiKey)),
    now,
  });
  await store.close();
  const db = new DatabaseSync(dbPath);
  try {
    const tenant = db.prepare("SELECT id FROM tenants WHERE name = 'default'").get();
    const tenantId = String(tenant?.id);
    const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const user = db.prepare(
      `INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at)
       VALUES (?, ?, ?, ?, 'pending', 'member', ?)`,
    );
    const invitation = db.prepare(
      `INSERT INTO invitations (id, tenant_id, user_id, token_hash, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const outbox = db.prepare(
      `INSERT INTO invitation_outbox (invitation_id, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?)`,
    );
    transaction(db, () => {
      for (let i = 0; i < count; i++) {
        const email = `mail${i}@example.com`;
        const userId = newId("usr");
        const invitationId = newId("inv");
        user.run(userId, tenantId, email, emailKey(email), now);
        invitation.run(
          invitationId,
          tenantId,
          userId,
          hashSecret(newSecret(SECRET_PREFIX.invitation)),
          now,
          expires,
        );
        outbox.run(invitationId, now, now, now);
      }
    });
  } finally {
    db.close();
  }
}

/** Queues `count` invitations, starts `cli server start`, and times their delivery to a local SMTP sink. */
export async function benchMailThroughput(cli: string[], count: number, workDir: string): Promise<Section> {
  const dir = await Deno.makeTempDir({ dir: workDir, prefix: "mail-" });
  const sink = await startCountingSink();
  const [cmd = "", ...prefix] = cli;
  const args = ["server", "start", "--port", "0", "--db", "DB", "--smtp-url", sink.url];
  try {
    const dbPath = join(dir, "mail.db");
    await queueInvitations(dbPath, count);
    const server = measured(
      await startServerProcess({
        command: [cmd, ...prefix, ...args.map((a) => a === "DB" ? dbPath : a)],
        logFile: "mail-server.log",
        cwd: dir,
      }),
    );
    const started = performance.now();
    const benchCpu = process.cpuUsage();
    let last: number;
    let serverCpuMs: number;
    let sinkCpuMs: number;
    try {
      last = await sink.reached(count, 600_000);
      serverCpuMs = await server.cpuMs();
      const used = process.cpuUsage(benchCpu);
      sinkCpuMs = (used.user + used.system) / 1000;
    } finally {
      await server.stop();
    }
    const seconds = (last - started) / 1000;
    const perSecond = Math.round(count / seconds);
    const cpu = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.error(
      `mail: ${count} invitations in ${seconds.toFixed(1)} s (${perSecond}/s) over ${sink.connections()} ` +
        `SMTP connections; server CPU ${cpu(serverCpuMs)}, sink CPU ${cpu(sinkCpuMs)}`,
    );
    return {
      id: "mail",
      title: `7. Mail throughput (${count.toLocaleString("en")} queued invitations to a local SMTP server)`,
      headers: [
        "invitations",
        "time to the last",
        "invitations/s",
        "SMTP connections",
        "server CPU",
        "sink CPU",
      ],
      rows: [[
        count.toLocaleString("en"),
        `${seconds.toFixed(1)} s`,
        String(perSecond),
        String(sink.connections()),
        `${(serverCpuMs / 1000).toFixed(1)} s`,
        `${(sinkCpuMs / 1000).toFixed(1)} s`,
      ]],
      targets: [],
      commands: [`${cli.join(" ")} ${args.join(" ")}`],
      notes: [
        "From the server's listening line until the sink (smtp-server, in the bench process) has the last " +
        "message; the invitations were queued in the database beforehand.",
      ],
      raw: { count, seconds, perSecond, connections: sink.connections(), serverCpuMs, sinkCpuMs },
    };
  } finally {
    await sink.close();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { cli: { type: "string" }, count: { type: "string", default: "10000" } },
  });
  const main = new URL("../main.ts", import.meta.url).pathname;
  const cli = values.cli?.split(" ") ?? [Deno.execPath(), "run", "-A", "--quiet", main];
  const work = await Deno.makeTempDir({ prefix: "phyware-bench-" });
  const section = await benchMailThroughput(cli, Number(values.count), work).finally(() =>
    Deno.remove(work, { recursive: true })
  );
  console.log(`| ${section.headers.join(" | ")} |\n|${section.headers.map(() => "---").join("|")}|`);
  for (const row of section.rows) console.log(`| ${row.join(" | ")} |`);
  console.log(section.commands.join("\n"));
}
