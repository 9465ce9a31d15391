/**
 * Measurement 4: `wrk` at concurrency 16 against three endpoints of phyware's server, and against a bare
 * `node:http` hello server on the same runtime, run before and after them (its mean is the ceiling).
 */
import { join } from "node:path";
import { fmtRatio } from "./measure.ts";
import type { BenchTenant } from "./fixture.ts";
import type { ServerProcess } from "./server_process.ts";
import type { Section, TargetCheck } from "./section.ts";

/** Figures of one wrk run. */
export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  /** Socket errors, timeouts and non-2xx/3xx answers. */
  errors: number;
  non2xx: number;
  /** CPU time the server spent per request (user + system), in microseconds: steadier than requests/s
   * on a shared machine, since it does not count time the server waited for a core. */
  serverCpuUs: number;
}

interface WrkJson {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
}

/** Concurrency of every wrk run, as the issue says. */
export const CONNECTIONS = 16;
/**
 * One wrk thread: on 2 cores a second thread only takes CPU from the server under test (measured: the
 * bare Bun server does about 67k req/s with -t1 and 53k with -t2).
 */
export const THREADS = 1;

async function wrk(
  server: ServerProcess,
  url: string,
  script: string,
  seconds: number,
  headers: string[],
  scriptArgs: string[] = [],
): Promise<WrkResult> {
  const args = [
    `-t${THREADS}`,
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    "--timeout",
    "5s",
    "-s",
    script,
    ...headers.flatMap((h) => ["-H", h]),
    url,
    ...(scriptArgs.length > 0 ? ["--", ...scriptArgs] : []),
  ];
  const cpuBefore = await server.cpuMs();
  const out = await new Deno.Command("wrk", { args, stdout: "piped", stderr: "piped" }).output();
  const cpuAfter = await server.cpuMs();
  const text = new TextDecoder().decode(out.stdout);
  const line = /BENCH_JSON (\{.*\})/.exec(text)?.[1];
  if (!out.success || !line) {
    throw new Error(`wrk failed on ${url}: ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  const j = JSON.parse(line) as WrkJson;
  const errors = j.connect + j.read + j.write + j.status + j.timeout;
  return {
    rps: j.requests / (j.duration_us / 1e6),
    p50Ms: j.p50_us / 1000,
    p99Ms: j.p99_us / 1000,
    maxMs: j.max_us / 1000,
    requests: j.requests,
    errors,
    non2xx: j.status,
    serverCpuUs: ((cpuAfter - cpuBefore) * 1000) / Math.max(1, j.requests),
  };
}

/** The tenants and scripts the throughput measurement uses. */
export interface ThroughputSetup {
  server: ServerProcess;
  startBaseline: () => Promise<ServerProcess>;
  baselineRuntime: string;
  /** Tenant whose user `GET /v1/users/{id}` reads. */
  readTenant: BenchTenant;
  /** Tenant whose first page of 100 `GET /v1/users?limit=100` reads (a big one, so the page is full). */
  listTenant: BenchTenant;
  /** Tenant `POST /v1/users` invites into. */
  writeTenant: BenchTenant;
  root: string;
  workDir: string;
  seconds: number;
  warmupSeconds: number;
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });
const ms = (n: number) => n.toFixed(2);

/** Runs the throughput measurement. */
export async function benchServerThroughput(o: ThroughputSetup): Promise<Section> {
  const report = join(o.root, "bench", "wrk", "report.lua");
  // wrk takes one script: the POST script gets the report function appended.
  const postScript = join(o.workDir, "post_users.lua");
  await Deno.writeTextFile(
    postScript,
    (await Deno.readTextFile(join(o.root, "bench", "wrk", "post_users.lua"))) + "\n" +
      (await Deno.readTextFile(report)),
  );
  const auth = (t: BenchTenant) => [`authorization: Bearer ${t.apiKey}`, "accept: application/json"];
  const runId = Date.now().toString(36);

  const hello = async (): Promise<WrkResult> => {
    const baseline = await o.startBaseline();
    try {
      await o.server.waitIdle();
      await wrk(baseline, `${baseline.url}/`, report, o.warmupSeconds, []);
      return await wrk(baseline, `${baseline.url}/`, report, o.seconds, []);
    } finally {
      await baseline.stop();
    }
  };
  const endpoints = [
    {
      name: "GET /v1/users/{id}",
      read: true,
      url: `${o.server.url}/v1/users/${o.readTenant.someUserId}`,
      script: report,
      headers: auth(o.readTenant),
      args: [] as string[],
    },
    {
      name: "GET /v1/users?limit=100",
      read: true,
      url: `${o.server.url}/v1/users?limit=100`,
      script: report,
      headers: auth(o.listTenant),
      args: [] as string[],
    },
    {
      name: "POST /v1/users (unique emails)",
      read: false,
      url: o.server.url,
      script: postScript,
      headers: auth(o.writeTenant),
      args: [runId],
    },
  ];

  const before = await hello();
  const results: { name: string; read: boolean; r: WrkResult }[] = [];
  for (const e of endpoints) {
    await o.server.waitIdle();
    // The warm-up of the POST run gets its own run id, so its emails never collide with the measured run's.
    await wrk(o.server, e.url, e.script, o.warmupSeconds, e.headers, e.args.length > 0 ? [`${runId}w`] : []);
    results.push({
      name: e.name,
      read: e.read,
      r: await wrk(o.server, e.url, e.script, o.seconds, e.headers, e.args),
    });
  }
  const serverRssKb = await o.server.peakRssKb();
  const after = await hello();
  const ceiling = (before.rps + after.rps) / 2;

  const row = (label: string, r: WrkResult, share: string): string[] => [
    label,
    fmt(r.rps),
    ms(r.p50Ms),
    ms(r.p99Ms),
    share,
    r.serverCpuUs.toFixed(1),
    String(r.errors),
  ];
  const cpuCeiling = (before.serverCpuUs + after.serverCpuUs) / 2;
  const rows: string[][] = [
    row(`bare node:http hello (${o.baselineRuntime}), before`, before, ""),
    row(`bare node:http hello (${o.baselineRuntime}), after`, after, ""),
  ];
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  for (const { name, read, r } of results) {
    const share = r.rps / ceiling;
    rows.push(row(`phyware ${name}`, r, `${(share * 100).toFixed(0)}%`));
    if (r.errors > 0) {
      notes.push(`${name}: ${r.errors} errors (${r.non2xx} answers not 2xx/3xx) in ${r.requests} requests.`);
    }
    if (read) {
      targets.push({
        target: `${name}: at least 50% of the bare server's requests/s`,
        measured: `${fmt(r.rps)} vs ${fmt(ceiling)} req/s (${fmtRatio(share)}); server CPU ${
          r.serverCpuUs.toFixed(1)
        } vs ${cpuCeiling.toFixed(1)} us/request`,
        met: share >= 0.5 && r.errors === 0,
      });
      targets.push({
        target: `${name}: p99 under 20 ms at concurrency ${CONNECTIONS}`,
        measured: `${ms(r.p99Ms)} ms`,
        met: r.p99Ms < 20,
      });
    }
  }
  notes.push(
    `Peak RSS of the phyware server after all runs: ${(serverRssKb / 1024).toFixed(1)} MiB.`,
    "Server CPU us/req is the CPU time (user + system, from /proc/PID/stat) the server process used during " +
      "the run divided by the requests served: unlike requests/s it does not count time spent waiting for " +
      "a core that wrk or another process held, so it is the steadier figure on a shared machine.",
  );
  return {
    title: `4. The server (wrk -t${THREADS} -c${CONNECTIONS}, ${o.seconds} s per run)`,
    headers: [
      "target",
      "requests/s",
      "p50 ms",
      "p99 ms",
      "share of bare req/s",
      "server CPU us/req",
      "errors",
    ],
    rows,
    targets,
    commands: [
      "phyware server start --port 0 --db bench/.work/run/bench.db --rate-limit 0 --invite-rate-limit 0 --outbox bench/.work/run/outbox",
      `${o.baselineRuntime === "deno" ? "deno run -A" : "bun"} bench/hello_server.ts`,
      `wrk -t${THREADS} -c${CONNECTIONS} -d${o.seconds}s --timeout 5s -s bench/wrk/report.lua $HELLO_URL/   # before and after`,
      `wrk -t${THREADS} -c${CONNECTIONS} -d${o.seconds}s --timeout 5s -s bench/wrk/report.lua -H "authorization: Bearer $KEY" -H "accept: application/json" "$URL/v1/users/$USER_ID"`,
      `wrk ... -s bench/wrk/report.lua -H "authorization: Bearer $KEY_100K" ... "$URL/v1/users?limit=100"`,
      `wrk ... -s post_users.lua -H "authorization: Bearer $KEY" ... "$URL" -- $RUN_ID   # bench/wrk/post_users.lua + report.lua`,
      `(each preceded by a ${o.warmupSeconds} s warm-up run)`,
    ],
    notes,
    raw: { before, after, ceiling, results, serverRssKb },
  };
}
