/**
 * Measurement 3: listing a big tenant (`users list -o ndjson` and `-o json`, stdout to /dev/null) against
 * its floor, the same work in one process with no phyware code (bench/fetch_loop.ts: the same pages, parsed
 * and printed as ndjson), at two sizes to show how time and memory grow. A curl loop (one process and one
 * connection per page) is shown too, but it is no yardstick: it costs some 20 times the floor.
 */
import { PAGE_SIZE } from "../src/api/client.ts";
import { join } from "node:path";
import {
  fmtMiB,
  fmtMs,
  fmtRatio,
  interleaved,
  pairedRatio,
  type RunSpec,
  type Sample,
  summary,
} from "./measure.ts";
import type { BenchTenant } from "./fixture.ts";
import { clientEnv, curlHeaderFile } from "./one_request.ts";
import type { Section, TargetCheck } from "./section.ts";

/** The listing's target: at most this many times the fetch-loop floor (paired runs). */
const FLOOR_LIMIT = 1.1;
/** Peak RSS limit of the listing, in MiB. */
const RSS_LIMIT_MIB = 150;
/** "Not growing": the larger tenant's peak RSS within this many MiB of the smaller's. */
const RSS_GROWTH_SLACK_MIB = 8;

async function countLines(binary: string, env: Record<string, string>, cwd: string): Promise<number> {
  const out = await new Deno.Command(binary, {
    args: ["users", "list", "-o", "ndjson"],
    env,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`phyware users list failed: ${new TextDecoder().decode(out.stderr)}`);
  let lines = 0;
  for (const byte of out.stdout) if (byte === 10) lines++;
  return lines;
}

/** Runs the big-tenant measurement over the given tenants (smallest first). */
export async function benchBigTenant(
  binary: string,
  url: string,
  tenants: BenchTenant[],
  root: string,
  workDir: string,
  runs: number,
  floorBinary: string,
  floorEngine: string,
): Promise<Section> {
  const rows: string[][] = [];
  const raw: Record<string, unknown> = {};
  const bySize: {
    floor: ReturnType<typeof summary>;
    users: number;
    nd: ReturnType<typeof summary>;
    js: ReturnType<typeof summary>;
    ndR: number;
    jsR: number;
  }[] = [];
  for (const tenant of tenants) {
    const env = clientEnv(url, tenant);
    const lines = await countLines(binary, env, workDir);
    if (lines !== tenant.users) {
      throw new Error(`users list -o ndjson printed ${lines} lines for a tenant of ${tenant.users} users`);
    }
    const headers = await curlHeaderFile(workDir, tenant);
    const specs: Record<string, RunSpec> = {
      ndjson: { cmd: binary, args: ["users", "list", "-o", "ndjson"], env, cwd: workDir },
      json: { cmd: binary, args: ["users", "list", "-o", "json"], env, cwd: workDir },
      curl: {
        cmd: join(root, "bench", "curl_loop.sh"),
        args: [url, headers, String(PAGE_SIZE)],
        cwd: workDir,
      },
      floor: { cmd: floorBinary, args: [], env, cwd: workDir },
    };
    const s: Record<string, Sample[]> = await interleaved(specs, runs, 1, workDir);
    const nd = summary(s.ndjson ?? []);
    const js = summary(s.json ?? []);
    const curl = summary(s.curl ?? []);
    const floor = summary(s.floor ?? []);
    const curlR = pairedRatio(s.curl ?? [], s.floor ?? []);
    const ndR = pairedRatio(s.ndjson ?? [], s.floor ?? []);
    const jsR = pairedRatio(s.json ?? [], s.floor ?? []);
    const n = tenant.users.toLocaleString("en-US");
    rows.push(
      [`${n}`, "phyware users list -o ndjson", fmtMs(nd.ms), fmtMiB(nd.rssKb), fmtRatio(ndR)],
      [`${n}`, "phyware users list -o json", fmtMs(js.ms), fmtMiB(js.rssKb), fmtRatio(jsR)],
      [
        `${n}`,
        `curl loop (${Math.ceil(tenant.users / PAGE_SIZE)} pages of ${PAGE_SIZE})`,
        fmtMs(curl.ms),
        fmtMiB(curl.rssKb),
        fmtRatio(curlR),
      ],
      [
        `${n}`,
        `runtime floor: bare ${floorEngine} fetch loop, ndjson (bench/fetch_loop.ts)`,
        fmtMs(floor.ms),
        fmtMiB(floor.rssKb),
        "1.00x",
      ],
    );
    raw[String(tenant.users)] = {
      ndjson: nd,
      json: js,
      curl,
      floor,
      ndjsonRatio: ndR,
      jsonRatio: jsR,
      curlRatio: curlR,
    };
    bySize.push({ users: tenant.users, nd, js, ndR, jsR, floor });
  }
  const small = bySize[0];
  const big = bySize[bySize.length - 1];
  const targets: TargetCheck[] = [];
  if (small && big) {
    const n = big.users.toLocaleString("en-US");
    for (
      const [label, r, m, m0] of [
        ["ndjson", big.ndR, big.nd, small.nd],
        ["json", big.jsR, big.js, small.js],
      ] as const
    ) {
      targets.push({
        target: `Listing ${n} users (${label}) at most ${FLOOR_LIMIT}x the fetch-loop floor`,
        measured: `${fmtMs(m.ms)} ms vs ${fmtMs(big.floor.ms)} ms, ${fmtRatio(r)}`,
        met: r <= FLOOR_LIMIT,
      });
      targets.push({
        target: `Listing ${n} users (${label}): peak RSS under ${RSS_LIMIT_MIB} MB`,
        measured: `${fmtMiB(m.rssKb)} MiB`,
        met: m.rssKb / 1024 < RSS_LIMIT_MIB,
      });
      targets.push({
        target: `Listing (${label}): peak RSS not growing from ${
          small.users.toLocaleString("en-US")
        } to ${n} users`,
        measured: `${fmtMiB(m0.rssKb)} -> ${fmtMiB(m.rssKb)} MiB (slack ${RSS_GROWTH_SLACK_MIB} MiB; ` +
          `runtime floor ${fmtMiB(small.floor.rssKb)} -> ${fmtMiB(big.floor.rssKb)} MiB)`,
        met: (m.rssKb - m0.rssKb) / 1024 <= RSS_GROWTH_SLACK_MIB,
      });
    }
  }
  return {
    id: "big",
    title: "3. A big tenant",
    headers: ["users", "command", "median wall ms", "peak RSS MiB", "/ fetch-loop floor (paired median)"],
    rows,
    targets,
    commands: [
      "PHYCLOUD_URL=$URL PHYCLOUD_API_KEY=$KEY phyware users list -o ndjson > /dev/null",
      "PHYCLOUD_URL=$URL PHYCLOUD_API_KEY=$KEY phyware users list -o json > /dev/null",
      `bench/curl_loop.sh $URL headers.txt ${PAGE_SIZE} > /dev/null   # one curl process per page: shown, no yardstick`,
      "PHYCLOUD_URL=$URL PHYCLOUD_API_KEY=$KEY bench/.work/fetch_loop > /dev/null   # bench/fetch_loop.ts, compiled",
      `(${runs} runs each after 1 warm-up, interleaved, per tenant size; a check run first counts the ndjson lines)`,
    ],
    notes: [
      `The target is the floor: the same pages fetched, parsed and printed as ndjson by a ${floorEngine} ` +
      "program with no phyware code, compiled like the release binary. Ratios are paired medians against it.",
    ],
    raw,
  };
}
