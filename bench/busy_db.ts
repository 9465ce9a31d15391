/**
 * Issue 9 item 2: how the server answers while another process holds the database's write lock for 5 s.
 * Run: `deno run -A bench/busy_db.ts`. Prints the paragraph bench/RESULTS.md quotes.
 */
import { join } from "node:path";
import { serve } from "../src/runtime/serve.ts";
import { newSecret, SECRET_PREFIX } from "../src/server/ids.ts";
import { startServer } from "../src/server/mod.ts";
import { holdWriteLock } from "../tests/support/lock_holder.ts";

const HOLD_MS = 5000;
const dir = await Deno.makeTempDir({ prefix: "phyware-bench-busy-" });
const dbPath = join(dir, "phyware.db");
const apiKey = newSecret(SECRET_PREFIX.apiKey);
const server = await startServer({
  hostname: "127.0.0.1",
  port: 0,
  dbPath,
  outboxDir: join(dir, "outbox"),
  rateLimit: 0,
  inviteRateLimit: 0,
  bootstrapApiKey: apiKey,
}, { serve });
const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
const invite = (email: string) =>
  fetch(`${server.url}/v1/users`, { method: "POST", headers, body: JSON.stringify({ email }) });
const created = await invite("bench@example.com");
const { id } = await created.json() as { id: string };

async function timed(path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, { headers });
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return performance.now() - started;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? 0;
}

for (let i = 0; i < 50; i++) await timed("/healthz");
const lock = await holdWriteLock(dbPath);
const started = performance.now();
const writes: Promise<{ status: number; retryAfter: string | null; ms: number }>[] = [];
const reads = { user: [] as number[], healthz: [] as number[] };
let n = 0;
while (performance.now() - started < HOLD_MS) {
  // A write every 250 ms, each waiting for the lock while the reads go on.
  if (performance.now() - started > writes.length * 250) {
    const t0 = performance.now();
    writes.push(
      invite(`w${writes.length}@example.com`).then(async (r) => {
        await r.body?.cancel();
        return { status: r.status, retryAfter: r.headers.get("retry-after"), ms: performance.now() - t0 };
      }),
    );
  }
  reads.user.push(await timed(`/v1/users/${id}`));
  reads.healthz.push(await timed("/healthz"));
  n++;
}
const done = await Promise.all(writes);
await lock.release();
const after = await invite("after@example.com");
await server.close();
await Deno.remove(dir, { recursive: true });

const f = (ms: number) => ms.toFixed(1);
const statuses = [...new Set(done.map((w) => `${w.status} (Retry-After: ${w.retryAfter})`))].join(", ");
const waits = done.map((w) => w.ms);
console.log(
  `With another process holding BEGIN IMMEDIATE for ${HOLD_MS / 1000} s, ${n} GET /v1/users/{id} took ` +
    `p50 ${f(percentile(reads.user, 0.5))} ms, p99 ${f(percentile(reads.user, 0.99))} ms, max ${
      f(Math.max(...reads.user))
    } ms, and ${n} GET /healthz p50 ${f(percentile(reads.healthz, 0.5))} ms, p99 ${
      f(percentile(reads.healthz, 0.99))
    } ms, max ${f(Math.max(...reads.healthz))} ms. ${done.length} invites sent meanwhile all answered ` +
    `${statuses} after ${f(Math.min(...waits))}-${
      f(Math.max(...waits))
    } ms; after the release an invite got ${after.status}.`,
);
