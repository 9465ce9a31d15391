/**
 * Measurement 5: the server's pagination at depth. Every page of the largest tenant, 1,000 users a page, read
 * through the service's handler in process (no socket, no CLI). With keyset pages the last pages cost what
 * the first ones do; OFFSET would make them slower page after page. The query plan behind it is a test
 * (tests/server/list_test.ts); its timing lives here, where a busy machine cannot fail the suite.
 */
import { join } from "node:path";
import { createService } from "../src/server/mod.ts";
import type { BenchTenant } from "./fixture.ts";
import { fmtMs, fmtRatio, median } from "./measure.ts";
import type { Section } from "./section.ts";

const LIMIT = 1000;
/** The bound the suite asserted before this moved here: every page of 100,000 users within 10 s. */
const TOTAL_MS_TARGET = 10_000;

/** Milliseconds each page took, in order, for one pass over the tenant. */
async function onePass(handler: (request: Request) => Response | Promise<Response>, apiKey: string) {
  const times: number[] = [];
  let users = 0;
  let cursor: string | null = null;
  do {
    const started = performance.now();
    const query: string = cursor === null ? "" : `&cursor=${cursor}`;
    const response = await handler(
      new Request(`http://bench.test/v1/users?limit=${LIMIT}${query}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      }),
    );
    if (response.status !== 200) throw new Error(`GET /v1/users answered ${response.status}`);
    const page: unknown = await response.json();
    times.push(performance.now() - started);
    if (typeof page !== "object" || page === null || !("data" in page) || !Array.isArray(page.data)) {
      throw new Error("GET /v1/users answered without a data array");
    }
    users += page.data.length;
    cursor = "next_cursor" in page && typeof page.next_cursor === "string" ? page.next_cursor : null;
  } while (cursor !== null);
  return { times, users };
}

/** Runs the measurement on the bench database (shared with the running server, in WAL mode). */
export async function benchKeysetPages(
  dbPath: string,
  workDir: string,
  tenant: BenchTenant,
  runs: number,
): Promise<Section> {
  const service = await createService({ dbPath, outboxDir: join(workDir, "pages-outbox"), rateLimit: 0 });
  const totals: number[] = [];
  const firstTen: number[] = [];
  const lastTen: number[] = [];
  let pages = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const { times, users } = await onePass(service.handler, tenant.apiKey);
      if (users !== tenant.users) throw new Error(`Read ${users} users of ${tenant.users}`);
      pages = times.length;
      totals.push(times.reduce((a, b) => a + b, 0));
      firstTen.push(times.slice(0, 10).reduce((a, b) => a + b, 0));
      lastTen.push(times.slice(-10).reduce((a, b) => a + b, 0));
    }
  } finally {
    await service.close();
  }
  const total = median(totals);
  const depthRatio = median(lastTen) / median(firstTen);
  return {
    id: "pages",
    title: `5. Pagination at depth: every page of ${tenant.users.toLocaleString("en")} users, in process`,
    headers: [
      "pages of 1,000",
      "all pages (ms)",
      "first 10 pages (ms)",
      "last 10 pages (ms)",
      "last / first",
    ],
    rows: [[
      String(pages),
      fmtMs(total),
      fmtMs(median(firstTen)),
      fmtMs(median(lastTen)),
      fmtRatio(depthRatio),
    ]],
    targets: [{
      target: `every page of ${tenant.users.toLocaleString("en")} users through the handler within 10 s`,
      measured: `${fmtMs(total)} ms (last 10 pages ${fmtRatio(depthRatio)} the first 10)`,
      met: total < TOTAL_MS_TARGET,
    }],
    commands: [`GET /v1/users?limit=${LIMIT}&cursor=... through createService().handler, ${runs} passes`],
    notes: [],
    raw: { totalsMs: totals, firstTenMs: firstTen, lastTenMs: lastTen },
  };
}
