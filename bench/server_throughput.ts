/**
 * Measurement 4: `wrk` at concurrency 16 against three endpoints of phyware's server, and against a bare
 * `node:http` hello server on the same runtime (the ceiling), in rounds that pair each endpoint's run with a
 * run of the bare server next to it.
 */
import { join } from "node:path";
import { fmtRatio, median } from "./measure.ts";
import type { BenchTenant } from "./fixture.ts";
import type { MeasuredServer } from "./process_stats.ts";
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

/** One wrk run with the report script's figures, and the CPU the server used per request meanwhile. */
export async function wrk(
  server: MeasuredServer,
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

interface Endpoint {
  name: string;
  /** A read's targets: its least share of the bare server's requests/s, and its highest p99. */
  read?: { minShare: number; maxP99Ms: number };
  server: MeasuredServer;
  url: string;
  script: string;
  headers: string[];
  /** The script's arguments for one run, given that run's id (unique per run, warm-ups included). */
  args: (run: string) => string[];
}

/** The tenants and scripts the throughput measurement uses. */
export interface ThroughputSetup {
  server: MeasuredServer;
  startBaseline: () => Promise<MeasuredServer>;
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
  /** Rounds of (bare server, each endpoint). */
  rounds: number;
  /** Only the bare server and the endpoints whose name this accepts (`--only find`); all by default. */
  endpoints?: (name: string) => boolean;
}

/** The endpoints that find users by email (`--only find` runs only these and the bare server). */
export const FIND_ENDPOINTS = /^GET \/v1\/users\?(email|q)=/;

/** How seeded emails of a tenant are spelled around the user's number: user<N>-<batch>@<domain>. */
async function seededEmailShape(
  baseUrl: string,
  tenant: BenchTenant,
): Promise<{ before: string; after: string }> {
  const response = await fetch(`${baseUrl}/v1/users/${tenant.someUserId}`, {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  if (!response.ok) throw new Error(`GET /v1/users/${tenant.someUserId}: ${response.status}`);
  const { email } = await response.json() as { email: string };
  const shape = /^user\d+(-.+)$/.exec(email);
  if (!shape) throw new Error(`A seeded email not of the form user<N>-<batch>@<domain>: ${email}`);
  return { before: "user", after: shape[1] ?? "" };
}

/** The path of every page of 100 of a tenant, in order, found by following next_cursor. */
export async function pagePaths(baseUrl: string, apiKey: string): Promise<string[]> {
  const paths: string[] = [];
  let path: string | undefined = "/v1/users?limit=100";
  while (path !== undefined) {
    paths.push(path);
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    const { next_cursor: next } = await response.json() as { next_cursor: string | null };
    path = next === null ? undefined : `/v1/users?limit=100&cursor=${encodeURIComponent(next)}`;
  }
  return paths;
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });
const ms = (n: number) => n.toFixed(2);

/** `server start`'s flags that turn every request and invitation limit off: the bench measures the work. */
export const LIMITS_OFF: readonly string[] = [
  "--rate-limit",
  "0",
  "--invite-rate-limit",
  "0",
  "--tenant-rate-limit",
  "0",
  "--tenant-invite-rate-limit",
  "0",
];

/**
 * The wrk script `bench/wrk/NAME` with the report function appended, written to `workDir` (wrk takes one
 * script); returns its path.
 */
export async function wrkScript(root: string, workDir: string, name: string): Promise<string> {
  const script = join(workDir, name);
  const dir = join(root, "bench", "wrk");
  await Deno.writeTextFile(
    script,
    (await Deno.readTextFile(join(dir, name))) + "\n" + (await Deno.readTextFile(join(dir, "report.lua"))),
  );
  return script;
}

/** Runs the throughput measurement. */
export async function benchServerThroughput(o: ThroughputSetup): Promise<Section> {
  // GETs run the report script alone; the POST, find and page-walk scripts have it appended.
  const report = join(o.root, "bench", "wrk", "report.lua");
  const postScript = await wrkScript(o.root, o.workDir, "post_users.lua");
  const findScript = await wrkScript(o.root, o.workDir, "find_users.lua");
  const seeded = await seededEmailShape(o.server.url, o.listTenant);
  const bigUsers = String(o.listTenant.users - 1);
  const walkScript = await wrkScript(o.root, o.workDir, "walk_pages.lua");
  const pathsFile = join(o.workDir, "pages.txt");
  const pages = await pagePaths(o.server.url, o.listTenant.apiKey);
  await Deno.writeTextFile(pathsFile, pages.join("\n") + "\n");
  const auth = (t: BenchTenant) => [`authorization: Bearer ${t.apiKey}`, "accept: application/json"];
  const runId = Date.now().toString(36);
  const baseline = await o.startBaseline();
  const targetsUnderTest: Endpoint[] = [
    { name: "bare", server: baseline, url: `${baseline.url}/`, script: report, headers: [], args: () => [] },
    {
      name: "GET /v1/users/{id}",
      read: { minShare: 0.5, maxP99Ms: 20 },
      server: o.server,
      url: `${o.server.url}/v1/users/${o.readTenant.someUserId}`,
      script: report,
      headers: auth(o.readTenant),
      args: () => [],
    },
    {
      // Every request asks for the same first page, which the server keeps in memory once built: this row
      // measures that cache, not SQLite. It keeps issue 12's targets for a page of 100.
      name: "GET /v1/users?limit=100, the first page again (kept in memory)",
      read: { minShare: 0.3, maxP99Ms: 10 },
      server: o.server,
      url: `${o.server.url}/v1/users?limit=100`,
      script: report,
      headers: auth(o.listTenant),
      args: () => [],
    },
    {
      // A page read from SQLite: the tenant has more pages than the server keeps (8 MiB, about 340 pages of
      // 100), and they are asked in order, so none is ever still kept. Issue 12's targets for a page of 100
      // hold here too: this is what a client listing a tenant meets.
      name: "GET /v1/users?limit=100, every page in turn (read from SQLite)",
      read: { minShare: 0.3, maxP99Ms: 10 },
      server: o.server,
      url: o.server.url,
      script: walkScript,
      headers: auth(o.listTenant),
      args: () => [pathsFile],
    },
    {
      // One mailbox through its index (migration 6), a different user each request.
      name: "GET /v1/users?email= (a different user each time)",
      read: { minShare: 0.3, maxP99Ms: 10 },
      server: o.server,
      url: o.server.url,
      script: findScript,
      headers: auth(o.listTenant),
      args: () => ["email", seeded.before, seeded.after, bigUsers],
    },
    {
      // No target: a text that one user's email contains ("user123-<batch>@"), so each request scans the
      // whole tenant's search index for its page.
      name: "GET /v1/users?q= (one match, the whole tenant scanned)",
      server: o.server,
      url: o.server.url,
      script: findScript,
      headers: auth(o.listTenant),
      args: () => ["q", seeded.before, `${seeded.after.split("@")[0] ?? ""}@`, bigUsers],
    },
    {
      name: "POST /v1/users (unique emails)",
      server: o.server,
      url: o.server.url,
      script: postScript,
      headers: auth(o.writeTenant),
      args: (run) => [run],
    },
  ];
  const chosen = o.endpoints;
  if (chosen) {
    for (let i = targetsUnderTest.length - 1; i > 0; i--) {
      if (!chosen(targetsUnderTest[i]?.name ?? "")) targetsUnderTest.splice(i, 1);
    }
  }
  const results = new Map<string, WrkResult[]>(targetsUnderTest.map((t) => [t.name, []]));
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const t of targetsUnderTest) {
        // Mail of the previous POST run may still be going out: start each run on an idle machine.
        await o.server.waitIdle();
        if (round === 0) {
          // The warm-up of the POST run gets its own run id, so its emails never collide with the measured run's.
          await wrk(
            t.server,
            t.url,
            t.script,
            o.warmupSeconds,
            t.headers,
            t.args(`${runId}w`),
          );
        }
        const args = t.args(`${runId}r${round}`);
        results.get(t.name)?.push(await wrk(t.server, t.url, t.script, o.seconds, t.headers, args));
      }
    }
  } finally {
    await baseline.stop();
  }
  const serverRssKb = await o.server.peakRssKb();
  const bare = results.get("bare") ?? [];
  const med = (rs: readonly WrkResult[], f: (r: WrkResult) => number) => median(rs.map(f));
  const row = (label: string, rs: readonly WrkResult[], share: string): string[] => [
    label,
    fmt(med(rs, (r) => r.rps)),
    ms(med(rs, (r) => r.p50Ms)),
    ms(med(rs, (r) => r.p99Ms)),
    share,
    med(rs, (r) => r.serverCpuUs).toFixed(1),
    String(rs.reduce((n, r) => n + r.errors, 0)),
  ];
  const rows: string[][] = [row(`bare node:http hello (${o.baselineRuntime})`, bare, "100%")];
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  const raw: Record<string, unknown> = { bare };
  for (const t of targetsUnderTest.slice(1)) {
    const rs = results.get(t.name) ?? [];
    raw[t.name] = rs;
    // Paired: each run against the bare server's run of the same round.
    const share = median(rs.map((r, i) => r.rps / (bare[i]?.rps ?? NaN)));
    const cpuRatio = median(rs.map((r, i) => r.serverCpuUs / (bare[i]?.serverCpuUs ?? NaN)));
    rows.push(row(`phyware ${t.name}`, rs, `${(share * 100).toFixed(0)}%`));
    const errors = rs.reduce((n, r) => n + r.errors, 0);
    if (errors > 0) {
      notes.push(
        `${t.name}: ${errors} errors (${rs.reduce((n, r) => n + r.non2xx, 0)} answers not 2xx/3xx) in ${
          rs.reduce((n, r) => n + r.requests, 0)
        } requests.`,
      );
    }
    if (t.read) {
      const p99 = med(rs, (r) => r.p99Ms);
      const { minShare, maxP99Ms } = t.read;
      targets.push({
        target: `${t.name}: at least ${minShare * 100}% of the bare server's requests/s`,
        measured: `${fmt(med(rs, (r) => r.rps))} vs ${fmt(med(bare, (r) => r.rps))} req/s (${
          fmtRatio(share)
        }); server CPU per request ${fmtRatio(cpuRatio)} the bare server's`,
        met: share >= minShare && errors === 0,
      });
      targets.push({
        target: `${t.name}: p99 under ${maxP99Ms} ms at concurrency ${CONNECTIONS}`,
        measured: `${ms(p99)} ms (runs: ${rs.map((r) => ms(r.p99Ms)).join(", ")})`,
        met: p99 < maxP99Ms && errors === 0,
      });
    }
  }
  notes.push(
    "The first-page row is the server's page cache: every request asks for the page it keeps in memory. " +
      "The every-page row walks the tenant's pages in order, each read from SQLite: what a listing meets.",
    `Peak RSS of the phyware server after all runs: ${(serverRssKb / 1024).toFixed(1)} MiB.`,
    `${o.rounds} rounds; in each, the bare server, then each endpoint, ${o.seconds} s each; figures are ` +
      "medians over rounds and the share is the median of each round's ratio to that round's bare run.",
    "Server CPU us/req is the CPU time (user + system, from /proc/PID/stat) the server process used during " +
      "a run divided by the requests it served: unlike requests/s it does not count time spent waiting for " +
      "a core that wrk or another process held, so it moves less than requests/s on a shared machine " +
      "(it still rises when other processes thrash the caches).",
  );
  return {
    // `--only find` measures a part of the server's endpoints: its own section, so the others' stay.
    id: o.endpoints === undefined ? "server" : "find",
    title: `4${o.endpoints === undefined ? "" : "b"}. The server${
      o.endpoints === undefined ? "" : ", finding users"
    } (wrk -t${THREADS} -c${CONNECTIONS}, ${o.seconds} s per run, ${o.rounds} rounds)`,
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
      "phyware server start --port 0 --db bench/.work/run/bench.db --rate-limit 0 --invite-rate-limit 0 --tenant-rate-limit 0 --tenant-invite-rate-limit 0 --outbox bench/.work/run/outbox",
      `${o.baselineRuntime.startsWith("deno") ? "deno run -A" : "bun"} bench/hello_server.ts`,
      `wrk -t${THREADS} -c${CONNECTIONS} -d${o.seconds}s --timeout 5s -s bench/wrk/report.lua $HELLO_URL/`,
      `wrk -t${THREADS} -c${CONNECTIONS} -d${o.seconds}s --timeout 5s -s bench/wrk/report.lua -H "authorization: Bearer $KEY" -H "accept: application/json" "$URL/v1/users/$USER_ID"`,
      `wrk ... -s bench/wrk/report.lua -H "authorization: Bearer $KEY_BIG_TENANT" ... "$URL/v1/users?limit=100"`,
      `wrk ... -s walk_pages.lua -H "authorization: Bearer $KEY_BIG_TENANT" ... "$URL" -- pages.txt   # bench/wrk/walk_pages.lua + report.lua; pages.txt: the path of every page of 100, following next_cursor`,
      `wrk ... -s find_users.lua -H "authorization: Bearer $KEY_BIG_TENANT" ... "$URL" -- email user -$BATCH@seed.example $N   # bench/wrk/find_users.lua + report.lua: ?email=user<k>-$BATCH@seed.example, k striding over the tenant`,
      `wrk ... -s find_users.lua ... "$URL" -- q user -$BATCH@ $N   # ?q=user<k>-$BATCH@: one match, the whole tenant scanned`,
      `wrk ... -s post_users.lua -H "authorization: Bearer $KEY" ... "$URL" -- $RUN_ID   # bench/wrk/post_users.lua + report.lua`,
      `(${o.rounds} rounds of each; a ${o.warmupSeconds} s warm-up run of each in the first round)`,
    ],
    notes,
    raw,
  };
}
