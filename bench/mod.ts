/**
 * `deno task bench`: measures phyware against its yardsticks in one run and writes bench/RESULTS.md.
 *
 *   deno task bench [--quick] [--build | --binary PATH] [--only startup,one,big,server,find,pages,bulk,mail,postgres]
 *
 * --quick  a smoke run (few runs, small tenants, 2 s wrk) written to bench/.work/RESULTS-quick.md
 * --build  build the release binary here even when dist/ has a current one
 * --binary measure this phyware executable instead (Bun-built unless --engine deno); for trying a change
 * --only   run only some measurements: RESULTS.md gets their sections, the others are kept from its last runs;
 *          `find` is the part of `server` that finds users by email (?email=, ?q=), beside the bare server;
 *          `postgres` runs the server's reads and writes on SQLite and PostgreSQL (needs postgresql, haproxy)
 */
import { parseArgs } from "node:util";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchBigTenant } from "./big_tenant.ts";
import { benchBulkInvite } from "./bulk_invite.ts";
import { benchKeysetPages } from "./keyset_pages.ts";
import { benchMailThroughput } from "./mail_throughput.ts";
import { pinnedBun, type ReleaseBinary, releaseBinary, runtimeFloorBinary, settledCopy } from "./binary.ts";
import { createFixture } from "./fixture.ts";
import { loadAverage, machineFacts } from "./machine.ts";
import { benchOneRequest } from "./one_request.ts";
import { benchPostgres } from "./postgres.ts";
import { renderResults, renderTable } from "./report.ts";
import type { Section } from "./section.ts";
import { benchServerThroughput, FIND_ENDPOINTS, LIMITS_OFF } from "./server_throughput.ts";
import { startServerProcess } from "../scripts/server_process.ts";
import { measured } from "./process_stats.ts";
import { benchStartup } from "./startup.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WORK = join(ROOT, "bench", ".work");
const MEASUREMENTS = [
  "startup",
  "one",
  "big",
  "server",
  "find",
  "pages",
  "bulk",
  "mail",
  "postgres",
] as const;

/** How many runs each measurement makes. */
interface Plan {
  startupRuns: number;
  oneRequestRuns: number;
  bigRuns: number;
  sizes: [number, number];
  wrkSeconds: number;
  wrkWarmupSeconds: number;
  wrkRounds: number;
}

const FULL: Plan = {
  startupRuns: 30,
  oneRequestRuns: 30,
  bigRuns: 5,
  sizes: [10_000, 100_000],
  wrkSeconds: 10,
  wrkWarmupSeconds: 2,
  wrkRounds: 3,
};
const QUICK: Plan = {
  startupRuns: 5,
  oneRequestRuns: 5,
  bigRuns: 2,
  sizes: [1_000, 10_000],
  wrkSeconds: 2,
  wrkWarmupSeconds: 1,
  wrkRounds: 1,
};

async function givenBinary(path: string, engine: string): Promise<ReleaseBinary> {
  if (engine !== "bun" && engine !== "deno") {
    throw new Error(`Invalid --engine "${engine}": expected bun or deno`);
  }
  const absolute = resolve(path);
  return {
    path: await settledCopy(absolute, join(WORK, "given")),
    engine,
    engineVersion: engine === "deno" ? Deno.version.deno : "as pinned in package.json",
    origin: `given with --binary (${engine}): ${absolute}, copied into bench/.work/given/ in one write`,
    sizeBytes: Deno.statSync(absolute).size,
  };
}

function log(line: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** The yardsticks and meters the bench runs, and the Debian package of each. */
const TOOLS: ReadonlyArray<[command: string, pkg: string]> = [
  ["gh", "gh"],
  ["curl", "curl"],
  ["wrk", "wrk"],
  ["/usr/bin/time", "time"],
];

async function requireTools(): Promise<void> {
  const missing: string[] = [];
  for (const [command, pkg] of TOOLS) {
    const found = await new Deno.Command("sh", { args: ["-c", `command -v ${command}`], stdout: "null" })
      .output();
    if (!found.success) missing.push(pkg);
  }
  if (missing.length > 0) {
    throw new Error(`The bench needs ${missing.join(", ")}: apt-get install ${missing.join(" ")}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean", default: false },
      build: { type: "boolean", default: false },
      only: { type: "string" },
      binary: { type: "string" },
      engine: { type: "string", default: "bun" },
    },
  });
  const only = values.only?.split(",").map((s) => s.trim()) ?? [...MEASUREMENTS];
  for (const name of only) {
    if (!(MEASUREMENTS as readonly string[]).includes(name)) {
      throw new Error(`Unknown measurement "${name}": expected ${MEASUREMENTS.join(", ")}`);
    }
  }
  await requireTools();
  const plan = values.quick ? QUICK : FULL;
  const started = performance.now();
  const startedAt = `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const runDir = join(WORK, "run");
  await Deno.remove(runDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(runDir, { recursive: true });

  log(`release binary: ${values.binary ?? (values.build ? "building" : "looking in dist/")}`);
  const binary = values.binary === undefined
    ? await releaseBinary(ROOT, WORK, values.build)
    : await givenBinary(values.binary, values.engine);
  log(`using ${binary.path} (${binary.origin})`);
  const baseline = binary.engine === "bun"
    ? { name: "bun", ...(await pinnedBun(ROOT)) }
    : { name: "deno", path: Deno.execPath(), version: Deno.version.deno };
  const facts = await machineFacts(ROOT, binary.path, { name: baseline.name, version: baseline.version });

  const sections: Section[] = [];
  if (only.includes("startup")) {
    log(`1. start-up: ${plan.startupRuns} runs each`);
    const floor = await runtimeFloorBinary(ROOT, WORK, binary.engine, "floor_version");
    sections.push(await benchStartup(binary.path, ROOT, runDir, plan.startupRuns, floor));
  }

  let seedMs = 0;
  if (only.some((m) => m !== "startup" && m !== "bulk" && m !== "mail" && m !== "postgres")) {
    log(`seeding tenants of 10, ${plan.sizes.join(" and ")} users`);
    const fixture = await createFixture(join(runDir, "bench.db"), [10, ...plan.sizes]);
    seedMs = fixture.seedMs;
    log(`seeded in ${(seedMs / 1000).toFixed(1)} s; starting the server`);
    const server = measured(
      await startServerProcess({
        command: [
          binary.path,
          "server",
          "start",
          "--port",
          "0",
          "--db",
          fixture.dbPath,
          ...LIMITS_OFF,
          "--outbox",
          join(runDir, "outbox"),
        ],
        logFile: "server.log",
        cwd: runDir,
      }),
    );
    try {
      const tenant = (size: number) => {
        const t = fixture.bySize.get(size);
        if (!t) throw new Error(`No tenant of ${size} users`);
        return t;
      };
      const floor = only.includes("one") || only.includes("big")
        ? await runtimeFloorBinary(ROOT, WORK, binary.engine)
        : "";
      const floorEngine = `${baseline.name} ${baseline.version}`;
      if (only.includes("one")) {
        log(`2. one request: ${plan.oneRequestRuns} paired runs`);
        sections.push(
          await benchOneRequest(
            binary.path,
            server.url,
            tenant(10),
            runDir,
            plan.oneRequestRuns,
            await runtimeFloorBinary(ROOT, WORK, binary.engine, "floor_get"),
            floorEngine,
          ),
        );
      }
      if (only.includes("big")) {
        log(`3. big tenant: ${plan.bigRuns} runs each at ${plan.sizes.join(" and ")} users`);
        sections.push(
          await benchBigTenant(
            binary.path,
            server.url,
            plan.sizes.map(tenant),
            ROOT,
            runDir,
            plan.bigRuns,
            floor,
            floorEngine,
          ),
        );
      }
      if (only.includes("server") || only.includes("find")) {
        log(
          `4. server: ${plan.wrkRounds} rounds of wrk ${plan.wrkSeconds} s on the bare ${baseline.name} server and each endpoint`,
        );
        sections.push(
          await benchServerThroughput({
            server,
            startBaseline: async () =>
              measured(
                await startServerProcess({
                  command: [
                    baseline.path,
                    ...(baseline.name === "deno" ? ["run", "-A"] : []),
                    join(ROOT, "bench", "hello_server.ts"),
                  ],
                  logFile: "hello.log",
                  cwd: runDir,
                  listening: /hello listening on (http:\/\/\S+)/,
                }),
              ),
            baselineRuntime: `${baseline.name} ${baseline.version}`,
            readTenant: tenant(10),
            listTenant: tenant(plan.sizes[1]),
            writeTenant: fixture.writes,
            root: ROOT,
            workDir: runDir,
            seconds: plan.wrkSeconds,
            warmupSeconds: plan.wrkWarmupSeconds,
            rounds: plan.wrkRounds,
            ...(only.includes("server") ? {} : { endpoints: (name: string) => FIND_ENDPOINTS.test(name) }),
          }),
        );
      }
      if (only.includes("pages")) {
        log(`5. pagination at depth: ${plan.bigRuns} passes over ${plan.sizes[1]} users in process`);
        sections.push(await benchKeysetPages(fixture.dbPath, runDir, tenant(plan.sizes[1]), plan.bigRuns));
      }
    } finally {
      await server.stop();
    }
  }

  if (only.includes("bulk")) {
    log(`6. bulk invite: ${plan.sizes.join(" and ")} rows from a CSV, each against a fresh server`);
    sections.push(await benchBulkInvite([binary.path], plan.sizes, runDir));
  }

  if (only.includes("mail")) {
    const count = values.quick ? 1_000 : 10_000;
    log(`7. mail throughput: ${count} queued invitations to a local SMTP server`);
    sections.push(await benchMailThroughput([binary.path], count, runDir));
  }

  if (only.includes("postgres")) {
    log(`8. SQLite and PostgreSQL (one instance, three behind HAProxy): ${plan.sizes[1]} users, wrk as in 4`);
    sections.push(
      await benchPostgres({
        binary: binary.path,
        root: ROOT,
        workDir: runDir,
        users: plan.sizes[1],
        seconds: plan.wrkSeconds,
        warmupSeconds: plan.wrkWarmupSeconds,
        rounds: plan.wrkRounds,
      }),
    );
  }

  const seconds = (performance.now() - started) / 1000;
  facts.push(["load average at end (1, 5, 15 min)", loadAverage()]);
  const partial = only.length < MEASUREMENTS.length;
  const out = values.quick
    ? join(WORK, "RESULTS-quick.md")
    : values.binary !== undefined
    ? join(WORK, "RESULTS-binary.md")
    : join(ROOT, "bench", "RESULTS.md");
  const previous = await Deno.readTextFile(join(ROOT, "bench", "RESULTS.md")).catch(() => "");
  const text = renderResults({
    command: `deno task bench${Deno.args.length > 0 ? ` ${Deno.args.join(" ")}` : ""}`,
    facts,
    binaryOrigin: `${binary.path.replace(`${ROOT}/`, "")}: ${binary.origin}, ${
      (binary.sizeBytes / 1048576).toFixed(1)
    } MiB`,
    seedMs,
    seconds,
    sections,
    partial,
    order: MEASUREMENTS,
    at: startedAt,
    previous,
  });
  await Deno.writeTextFile(out, text);
  // RESULTS.md is checked by `deno fmt --check` with the rest of the repository: keep it formatted.
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", out], cwd: ROOT }).output();
  await Deno.writeTextFile(
    join(WORK, "results.json"),
    JSON.stringify({ facts, sections: sections.map((s) => ({ title: s.title, raw: s.raw })) }, null, 2),
  );
  for (const section of sections) {
    console.log(`\n${section.title}\n`);
    console.log(renderTable(section.headers, section.rows));
  }
  console.log("\nTargets\n");
  console.log(
    renderTable(
      ["target", "measured", "verdict"],
      sections.flatMap((s) => s.targets).map((t) => [t.target, t.measured, t.met ? "met" : "MISSED"]),
    ),
  );
  console.log(`\nTotal ${seconds.toFixed(0)} s; written to ${out.replace(`${ROOT}/`, "")}`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    Deno.exitCode = 1;
  }
}
