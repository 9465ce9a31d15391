/**
 * Bulk invite at scale (issue 10 section 4): `phyware users invite --from-file N.csv -o ndjson` against the
 * reference server with its limits off, at two sizes (default 10,000 and 100,000 rows): wall time, requests
 * per second, and the CLI's peak RSS (GNU time), which must not grow with the row count since the file is
 * streamed and results leave in order. Standalone: `deno run -A bench/bulk_invite.ts [rows...]`.
 */
import { join } from "node:path";
import { startTestServer } from "../tests/support/server.ts";

const sizes = Deno.args.length > 0 ? Deno.args.map(Number) : [10_000, 100_000];
const main = new URL("../main.ts", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "phyware-bench-bulk-" });
const rows: string[] = [];
try {
  for (const size of sizes) {
    await using server = await startTestServer();
    const csv = join(dir, `${size}.csv`);
    const file = await Deno.open(csv, { write: true, create: true, truncate: true });
    const encoder = new TextEncoder();
    await file.write(encoder.encode("email,role\n"));
    for (let i = 0; i < size; i += 1000) {
      let chunk = "";
      for (let j = i; j < Math.min(size, i + 1000); j++) chunk += `bench${j}@example.com,member\n`;
      await file.write(encoder.encode(chunk));
    }
    file.close();
    const started = performance.now();
    const out = await new Deno.Command("/usr/bin/time", {
      args: [
        "-f",
        "%M",
        Deno.execPath(),
        "run",
        "-A",
        "--quiet",
        main,
        "users",
        "invite",
        "--from-file",
        csv,
        "--concurrency",
        "8",
        "-o",
        "ndjson",
      ],
      env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey },
      stdout: "null",
      stderr: "piped",
    }).output();
    const seconds = (performance.now() - started) / 1000;
    const stderr = new TextDecoder().decode(out.stderr).trim().split("\n");
    const rssKiB = Number(stderr.at(-1));
    if (!out.success) throw new Error(`bulk invite of ${size} rows failed: ${stderr.join(" ")}`);
    rows.push(
      `| ${size.toLocaleString("en")} | ${seconds.toFixed(1)} s | ${Math.round(size / seconds)} | ` +
        `${(rssKiB / 1024).toFixed(1)} MiB | ${stderr.at(-2) ?? ""} |`,
    );
    console.error(rows.at(-1));
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
console.log(
  "| rows | time | requests/s | peak RSS (CLI) | summary |\n|---|---|---|---|---|\n" + rows.join("\n"),
);
