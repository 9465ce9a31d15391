/**
 * Bulk invite at scale (issue 10 section 4): `phyware users invite --from-file N.csv -o ndjson` against the
 * reference server with its limits off, at two sizes (default 10,000 and 100,000 rows): wall time, requests
 * per second, and the CLI's peak RSS (GNU time), which must not grow with the row count since the file is
 * streamed and results leave in order. In `deno task bench --only bulk` it runs the release binary;
 * standalone it runs the source with Deno, or any command given as `--cli`:
 *
 *   deno run -A bench/bulk_invite.ts [--cli "bun main.ts"] [rows...]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startTestServer } from "../tests/support/server.ts";
import type { Section } from "./section.ts";

/** The target: peak RSS at the larger size at most this much above the smaller size's. */
const FLAT_SHARE = 1.15;

async function writeCsv(path: string, size: number): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  await file.write(encoder.encode("email,role\n"));
  for (let i = 0; i < size; i += 1000) {
    let chunk = "";
    for (let j = i; j < Math.min(size, i + 1000); j++) chunk += `bench${j}@example.com,member\n`;
    await file.write(encoder.encode(chunk));
  }
  file.close();
}

/** Runs `cli users invite --from-file` at each size against a fresh server; one table row per size. */
export async function benchBulkInvite(
  cli: string[],
  sizes: readonly number[],
  workDir: string,
): Promise<Section> {
  const dir = await Deno.makeTempDir({ dir: workDir, prefix: "bulk-" });
  const rows: string[][] = [];
  const peaks: number[] = [];
  const [cmd = "", ...prefix] = cli;
  const args = ["users", "invite", "--from-file", "ROWS.csv", "--concurrency", "8", "-o", "ndjson"];
  try {
    for (const size of sizes) {
      await using server = await startTestServer();
      const csv = join(dir, `${size}.csv`);
      await writeCsv(csv, size);
      const started = performance.now();
      const out = await new Deno.Command("/usr/bin/time", {
        args: ["-f", "%M", cmd, ...prefix, ...args.map((a) => a === "ROWS.csv" ? csv : a)],
        env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey, NO_COLOR: "1" },
        stdout: "null",
        stderr: "piped",
      }).output();
      const seconds = (performance.now() - started) / 1000;
      const stderr = new TextDecoder().decode(out.stderr).trim().split("\n");
      if (!out.success) throw new Error(`bulk invite of ${size} rows failed: ${stderr.join(" ")}`);
      const rssKiB = Number(stderr.at(-1));
      peaks.push(rssKiB);
      rows.push([
        size.toLocaleString("en"),
        `${seconds.toFixed(1)} s`,
        String(Math.round(size / seconds)),
        `${(rssKiB / 1024).toFixed(1)} MiB`,
        stderr.at(-2) ?? "",
      ]);
      console.error(`bulk invite: ${rows.at(-1)?.join(" | ")}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const [small = 0, large = 0] = [peaks.at(0), peaks.at(-1)];
  return {
    id: "bulk",
    title: `6. Bulk invite (${sizes.map((s) => s.toLocaleString("en")).join(" and ")} rows, --concurrency 8)`,
    headers: ["rows", "time", "requests/s", "peak RSS (CLI)", "summary"],
    rows,
    targets: [{
      target: `peak RSS flat with the row count (largest at most ${FLAT_SHARE}x the smallest)`,
      measured: `${(small / 1024).toFixed(1)} MiB -> ${(large / 1024).toFixed(1)} MiB`,
      met: large <= small * FLAT_SHARE,
    }],
    commands: [`${cli.join(" ")} ${args.join(" ")}`],
    notes: ["Each size against a fresh reference server with its limits off; peak RSS from GNU time (%M)."],
    raw: { sizes, peakRssKiB: peaks },
  };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { cli: { type: "string" } },
    allowPositionals: true,
  });
  const main = new URL("../main.ts", import.meta.url).pathname;
  const cli = values.cli?.split(" ") ?? [Deno.execPath(), "run", "-A", "--quiet", main];
  const sizes = positionals.length > 0 ? positionals.map(Number) : [10_000, 100_000];
  const work = await Deno.makeTempDir({ prefix: "phyware-bench-" });
  const section = await benchBulkInvite(cli, sizes, work).finally(() =>
    Deno.remove(work, { recursive: true })
  );
  console.log(`| ${section.headers.join(" | ")} |\n|${section.headers.map(() => "---").join("|")}|`);
  for (const row of section.rows) console.log(`| ${row.join(" | ")} |`);
  for (const t of section.targets) console.log(`${t.target}: ${t.measured} (${t.met ? "met" : "MISSED"})`);
}
