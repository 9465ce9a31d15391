/**
 * Measurement 8 (`--only postgres`): the server's reads and writes on SQLite, on PostgreSQL with one instance,
 * and on PostgreSQL with three instances behind HAProxy on one database, in one run, with measurement 4's wrk
 * settings. The cluster is the tests' throwaway one (tests/support/postgres.ts) with fsync on, since SQLite
 * commits with synchronous = FULL.
 */
import { join } from "node:path";
import postgres from "postgres";
import { startServerProcess } from "../scripts/server_process.ts";
import { emailKey } from "../src/email/key.ts";
import { hashSecret, newId, newSecret, randomBase62, SECRET_PREFIX } from "../src/server/ids.ts";
import { openPostgresStore } from "../src/server/store/postgres.ts";
import { startHaproxy } from "../tests/support/haproxy.ts";
import { postgresBinDir, startPostgres } from "../tests/support/postgres.ts";
import { type BenchTenant, createFixture } from "./fixture.ts";
import { fmtRatio, median } from "./measure.ts";
import { measured, type MeasuredServer } from "./process_stats.ts";
import type { Section } from "./section.ts";
import {
  CONNECTIONS,
  LIMITS_OFF,
  pagePaths,
  THREADS,
  wrk,
  type WrkResult,
  wrkScript,
} from "./server_throughput.ts";

/** What the measurement runs. */
export interface PostgresBenchSetup {
  /** The phyware executable under test. */
  binary: string;
  root: string;
  workDir: string;
  /** Users of the tenant the reads are made in (its admin included). */
  users: number;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
}

/** The tenants of one database. */
interface Tenants {
  /** Tenant `POST /v1/users` invites into. */
  writes: BenchTenant;
  /** Tenant of the reads: `GET /v1/users/{id}` of one of its users, and its pages of 100. */
  reads: BenchTenant;
}

/** The same tenants as bench/fixture.ts, in a PostgreSQL database: made by the store, users seeded by SQL. */
async function createPostgresFixture(url: string, users: number): Promise<Tenants> {
  const now = new Date().toISOString();
  const writesKey = newSecret(SECRET_PREFIX.apiKey);
  const readsKey = newSecret(SECRET_PREFIX.apiKey);
  const readsName = `size-${users}`;
  const store = await openPostgresStore(url);
  try {
    await store.bootstrap({
      name: "default",
      adminEmail: "admin@default.invalid",
      apiKeyHash: hashSecret(writesKey),
      now,
    });
    await store.createTenant({
      name: readsName,
      adminEmail: `admin@${readsName}.invalid`,
      apiKeyHash: hashSecret(readsKey),
      now,
    });
  } finally {
    await store.close();
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const idOf = async (name: string) => {
      const [row] = await sql<{ id: string }[]>`SELECT id FROM tenants WHERE name = ${name}`;
      if (!row) throw new Error(`No tenant "${name}" in the bench database`);
      return row.id;
    };
    const readsId = await idOf(readsName);
    // As seedUsers writes them into SQLite: user<N>-<batch>@seed.example, active members.
    const batch = randomBase62(8).toLowerCase();
    for (let from = 0; from < users - 1; from += 5_000) {
      const rows = [];
      for (let i = from; i < Math.min(users - 1, from + 5_000); i++) {
        const email = `user${i}-${batch}@seed.example`;
        rows.push({
          id: newId("usr"),
          tenant_id: readsId,
          email,
          email_key: emailKey(email),
          status: "active",
          role: "member",
          created_at: now,
          activated_at: now,
        });
      }
      await sql`INSERT INTO users ${sql(rows)}`;
    }
    // The planner's statistics, as autovacuum would gather them a little later.
    await sql`ANALYZE`;
    const [member] = await sql<{ id: string }[]>`
      SELECT id FROM users WHERE tenant_id = ${readsId} AND role = 'member' ORDER BY seq LIMIT 1`;
    const [admin] = await sql<{ id: string }[]>`
      SELECT id FROM users WHERE tenant_id = ${await idOf("default")} ORDER BY seq LIMIT 1`;
    if (!member || !admin) throw new Error("The bench database has no seeded users");
    return {
      writes: { name: "default", users: 1, apiKey: writesKey, someUserId: admin.id },
      reads: { name: readsName, users, apiKey: readsKey, someUserId: member.id },
    };
  } finally {
    await sql.end();
  }
}

/** Several servers measured as one: CPU and memory summed, idle when all are. */
function together(url: string, servers: readonly MeasuredServer[]): MeasuredServer {
  const sum = async (f: (s: MeasuredServer) => Promise<number>) =>
    (await Promise.all(servers.map(f))).reduce((a, b) => a + b, 0);
  return {
    url,
    pid: servers[0]?.pid ?? 0,
    peakRssKb: () => sum((s) => s.peakRssKb()),
    cpuMs: () => sum((s) => s.cpuMs()),
    async waitIdle(timeoutMs) {
      for (const s of servers) await s.waitIdle(timeoutMs);
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/** The fields of /proc/PID/stat after the command name (the first is the state, field 3). */
async function statFields(pid: string): Promise<string[]> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => "");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The pid of the postmaster listening on `port` (found by its command line). */
async function postmasterPid(port: number): Promise<string> {
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const argv = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "")).split("\0");
    const at = argv.indexOf("-p");
    if (argv[0]?.endsWith("postgres") && at >= 0 && argv[at + 1] === String(port)) return entry.name;
  }
  throw new Error(`No postgres process listening on port ${port}`);
}

/**
 * CPU time the cluster used so far, in milliseconds: the postmaster's, its exited backends' (which it
 * waited for) and its live backends'.
 */
async function clusterCpuMs(postmaster: string): Promise<number> {
  let ticks = 0;
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    if (entry.name === postmaster) {
      const f = await statFields(entry.name);
      // utime, stime, cutime, cstime: fields 14-17.
      ticks += Number(f[11] ?? 0) + Number(f[12] ?? 0) + Number(f[13] ?? 0) + Number(f[14] ?? 0);
    } else {
      const f = await statFields(entry.name);
      if (f[1] === postmaster) ticks += Number(f[11] ?? 0) + Number(f[12] ?? 0);
    }
  }
  return ticks * 10;
}

async function requirePrograms(): Promise<void> {
  const missing: string[] = [];
  const found = async (command: string) =>
    (await new Deno.Command("sh", { args: ["-c", `command -v ${command}`], stdout: "null" }).output())
      .success;
  if (postgresBinDir() === "" && !(await found("initdb"))) missing.push("postgresql");
  if (!(await found("haproxy"))) missing.push("haproxy");
  if (missing.length > 0) {
    throw new Error(
      `--only postgres needs ${missing.join(", ")}: apt-get install ${missing.join(" ")}`,
    );
  }
}

/** One engine and topology under test. */
interface Setup {
  name: string;
  server: MeasuredServer;
  tenants: Tenants;
  /** The file of page paths of the reads tenant (cursors differ between databases). */
  pagesFile: string;
  /** The cluster's postmaster, for its CPU time (PostgreSQL only). */
  postmaster?: string;
}

interface Endpoint {
  name: string;
  script: string;
  path: (s: Setup) => string;
  tenant: (t: Tenants) => BenchTenant;
  args: (s: Setup, run: string) => string[];
}

interface Run extends WrkResult {
  /** CPU time the PostgreSQL cluster used per request, in microseconds (NaN on SQLite). */
  postgresCpuUs: number;
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });
const ms = (n: number) => n.toFixed(2);

/** Runs the measurement. */
export async function benchPostgres(o: PostgresBenchSetup): Promise<Section> {
  await requirePrograms();
  // GETs run the report script alone; the POST and page-walk scripts have it appended.
  const report = join(o.root, "bench", "wrk", "report.lua");
  const postScript = await wrkScript(o.root, o.workDir, "post_users.lua");
  const walkScript = await wrkScript(o.root, o.workDir, "walk_pages.lua");
  const start = async (db: string, name: string) =>
    measured(
      await startServerProcess({
        command: [
          o.binary,
          "server",
          "start",
          "--port",
          "0",
          "--db",
          db,
          ...LIMITS_OFF,
          "--outbox",
          join(o.workDir, `outbox-${name}`),
        ],
        logFile: `${name}.log`,
        cwd: o.workDir,
      }),
    );
  const pagesOf = async (name: string, url: string, tenant: BenchTenant) => {
    const file = join(o.workDir, `pages-${name}.txt`);
    await Deno.writeTextFile(file, (await pagePaths(url, tenant.apiKey)).join("\n") + "\n");
    return file;
  };

  const fixture = await createFixture(join(o.workDir, "postgres-bench.db"), [o.users]);
  const sqliteTenants: Tenants = {
    writes: fixture.writes,
    reads: fixture.bySize.get(o.users) as BenchTenant,
  };
  await using cluster = await startPostgres({ settings: { fsync: "on" } });
  const databaseUrl = await cluster.database();
  const seedStarted = performance.now();
  const pgTenants = await createPostgresFixture(databaseUrl, o.users);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const postmaster = await postmasterPid(cluster.port);

  const started: MeasuredServer[] = [];
  try {
    const sqlite = await start(fixture.dbPath, "sqlite");
    started.push(sqlite);
    const instances: MeasuredServer[] = [];
    for (const name of ["pg-a", "pg-b", "pg-c"]) {
      const instance = await start(databaseUrl, name);
      started.push(instance);
      instances.push(instance);
    }
    await using lb = await startHaproxy(instances.map((s) => Number(new URL(s.url).port)));
    const [first] = instances as [MeasuredServer];
    const pgPages = await pagesOf("postgres", first.url, pgTenants.reads);
    const setups: Setup[] = [
      {
        name: "SQLite, 1 instance",
        server: sqlite,
        tenants: sqliteTenants,
        pagesFile: await pagesOf("sqlite", sqlite.url, sqliteTenants.reads),
      },
      { name: "PostgreSQL, 1 instance", server: first, tenants: pgTenants, pagesFile: pgPages, postmaster },
      {
        name: "PostgreSQL, 3 instances behind HAProxy",
        server: together(lb.url, instances),
        tenants: pgTenants,
        pagesFile: pgPages,
        postmaster,
      },
    ];
    const endpoints: Endpoint[] = [
      {
        name: "GET /v1/users/{id}",
        script: report,
        path: (s) => `/v1/users/${s.tenants.reads.someUserId}`,
        tenant: (t) => t.reads,
        args: () => [],
      },
      {
        name: "GET /v1/users?limit=100, the first page again",
        script: report,
        path: () => "/v1/users?limit=100",
        tenant: (t) => t.reads,
        args: () => [],
      },
      {
        name: "GET /v1/users?limit=100, every page in turn",
        script: walkScript,
        path: () => "",
        tenant: (t) => t.reads,
        args: (s) => [s.pagesFile],
      },
      {
        name: "POST /v1/users (unique emails)",
        script: postScript,
        path: () => "",
        tenant: (t) => t.writes,
        args: (_s, run) => [run],
      },
    ];

    const runId = Date.now().toString(36);
    const results = new Map<string, Run[]>();
    const key = (e: Endpoint, s: Setup) => `${e.name} | ${s.name}`;
    const all = together("", started);
    for (let round = 0; round < o.rounds; round++) {
      for (const e of endpoints) {
        // Each round runs the three setups in the other order, so a drift of the machine hits them alike.
        const order = round % 2 === 0 ? setups : [...setups].reverse();
        for (const s of order) {
          const headers = [`authorization: Bearer ${e.tenant(s.tenants).apiKey}`, "accept: application/json"];
          const url = `${s.server.url}${e.path(s)}`;
          // PostgreSQL's two setups write to one tenant: each run's emails carry the setup and the round.
          const run = `${runId}${setups.indexOf(s)}`;
          // Mail of the previous POST run may still be going out: start each run on an idle machine.
          await all.waitIdle();
          if (round === 0) await wrk(s.server, url, e.script, o.warmupSeconds, headers, e.args(s, `${run}w`));
          const pgBefore = s.postmaster === undefined ? 0 : await clusterCpuMs(s.postmaster);
          const result = await wrk(s.server, url, e.script, o.seconds, headers, e.args(s, `${run}r${round}`));
          const pgAfter = s.postmaster === undefined ? 0 : await clusterCpuMs(s.postmaster);
          const list = results.get(key(e, s)) ?? [];
          list.push({
            ...result,
            postgresCpuUs: s.postmaster === undefined
              ? NaN
              : ((pgAfter - pgBefore) * 1000) / Math.max(1, result.requests),
          });
          results.set(key(e, s), list);
        }
      }
    }

    const rows: string[][] = [];
    const notes: string[] = [];
    const raw: Record<string, unknown> = {};
    for (const e of endpoints) {
      const sqliteRuns = results.get(key(e, setups[0] as Setup)) ?? [];
      for (const s of setups) {
        const rs = results.get(key(e, s)) ?? [];
        raw[key(e, s)] = rs;
        const med = (f: (r: Run) => number) => median(rs.map(f));
        // Paired: each run against SQLite's run of the same round.
        const share = median(rs.map((r, i) => r.rps / (sqliteRuns[i]?.rps ?? NaN)));
        const errors = rs.reduce((n, r) => n + r.errors, 0);
        if (errors > 0) {
          notes.push(
            `${e.name} on ${s.name}: ${errors} errors (${
              rs.reduce((n, r) => n + r.non2xx, 0)
            } answers not 2xx/3xx) in ${rs.reduce((n, r) => n + r.requests, 0)} requests.`,
          );
        }
        rows.push([
          e.name,
          s.name,
          fmt(med((r) => r.rps)),
          fmtRatio(share),
          ms(med((r) => r.p50Ms)),
          ms(med((r) => r.p99Ms)),
          med((r) => r.serverCpuUs).toFixed(1),
          s.postmaster === undefined ? "-" : med((r) => r.postgresCpuUs).toFixed(1),
          String(errors),
        ]);
      }
    }
    notes.push(
      "No target: issue 20 asks for these figures beside SQLite's, and says that on 2 cores three instances " +
        "will not be faster. Everything here shares the machine's cores: wrk, HAProxy, the instances and " +
        "PostgreSQL.",
      "The first-page row asks for the same page every time: SQLite's engine keeps it in memory (the page " +
        "cache, emptied by any write), PostgreSQL's engine has no such cache and reads it each time. The " +
        "every-page row walks the tenant's pages in order, more than SQLite's cache holds: each a database read " +
        "on both engines.",
      `The read tenant has ${fmt(o.users)} users on each engine (SQLite seeded with seedUsers, PostgreSQL ` +
        `with multi-row INSERTs and ANALYZE, ${seedSeconds.toFixed(1)} s); POST invites into the bootstrap ` +
        "tenant, with mail written to an --outbox folder per instance.",
      "The PostgreSQL cluster is tests/support/postgres.ts's throwaway one (initdb, Debian's " +
        "postgresql, on loopback) with fsync on, so a commit waits for its WAL on disk as SQLite's does " +
        "(synchronous = FULL); each instance keeps its default pool of 10 connections. The one-instance rows " +
        "talk to one of the three instances directly; the other two are idle meanwhile.",
      "phyware CPU us/req is the CPU time of the phyware instances (summed over the three) per request; " +
        "PostgreSQL CPU us/req is the cluster's (postmaster and backends, from /proc). HAProxy's and wrk's " +
        "are not counted.",
      `${o.rounds} rounds; in each, every endpoint on the three setups in turn (the order reversed every ` +
        `other round), ${o.seconds} s each; figures are medians over rounds, and "vs SQLite" is the median ` +
        "of each round's ratio to SQLite's run of the same round.",
    );
    return {
      id: "postgres",
      title:
        `8. SQLite and PostgreSQL, one instance and three (wrk -t${THREADS} -c${CONNECTIONS}, ${o.seconds} s ` +
        `per run, ${o.rounds} rounds)`,
      headers: [
        "endpoint",
        "engine",
        "requests/s",
        "vs SQLite",
        "p50 ms",
        "p99 ms",
        "phyware CPU us/req",
        "PostgreSQL CPU us/req",
        "errors",
      ],
      rows,
      targets: [],
      commands: [
        "# a throwaway cluster: initdb --auth trust, postgres -c fsync=on -c max_connections=200 on a free port",
        `phyware server start --port 0 --db bench/.work/run/postgres-bench.db ${
          LIMITS_OFF.join(" ")
        } --outbox bench/.work/run/outbox-sqlite`,
        `phyware server start --port 0 --db postgres://phyware@127.0.0.1:$PG_PORT/$DB ${
          LIMITS_OFF.join(" ")
        } --outbox bench/.work/run/outbox-pg-a   # and pg-b, pg-c`,
        "haproxy -db -f haproxy.cfg   # tests/support/haproxy.ts's haproxyConfig: round robin over the three",
        `wrk -t${THREADS} -c${CONNECTIONS} -d${o.seconds}s --timeout 5s -s bench/wrk/report.lua -H "authorization: Bearer $KEY" -H "accept: application/json" "$URL/v1/users/$USER_ID"`,
        `wrk ... -s bench/wrk/report.lua ... "$URL/v1/users?limit=100"`,
        `wrk ... -s walk_pages.lua ... "$URL" -- pages.txt   # bench/wrk/walk_pages.lua + report.lua`,
        `wrk ... -s post_users.lua -H "authorization: Bearer $KEY_DEFAULT" ... "$URL" -- $RUN_ID   # bench/wrk/post_users.lua + report.lua`,
        `($URL: each setup's; ${o.rounds} rounds; a ${o.warmupSeconds} s warm-up run of each in the first round)`,
      ],
      notes,
      raw,
    };
  } finally {
    for (const s of started) await s.stop();
  }
}
