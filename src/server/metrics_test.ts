import assert from "node:assert/strict";
import { createMetrics } from "./metrics.ts";
import type { OutboxStats, Store } from "./store/types.ts";

Deno.test("the outbox gauges read the store at scrape time; the oldest pending age comes from the clock", async () => {
  let stats: OutboxStats = { pending: 0, sent: 0, failed: 0, cancelled: 0, oldestPendingAt: null };
  const store = { outbox: { stats: () => Promise.resolve(stats) } } as unknown as Store;
  const now = new Date("2026-12-05T10:00:00.000Z");
  const metrics = await createMetrics(store, () => now);
  assert.match((await metrics.exposition()).text, /^phyware_outbox_oldest_pending_age_seconds 0$/m);
  stats = { pending: 2, sent: 5, failed: 1, cancelled: 0, oldestPendingAt: "2026-12-05T09:59:30.000Z" };
  metrics.observeRequest("GET", "/v1/users", 200, 0.004);
  metrics.rateLimited("tenant");
  const { text, contentType } = await metrics.exposition();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  assert.match(text, /^phyware_outbox_emails\{state="pending"\} 2$/m);
  assert.match(text, /^phyware_outbox_emails\{state="failed"\} 1$/m);
  assert.match(text, /^phyware_outbox_oldest_pending_age_seconds 30$/m);
  assert.match(text, /^phyware_http_requests_total\{method="GET",route="\/v1\/users",status="200"\} 1$/m);
  assert.match(
    text,
    /^phyware_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/v1\/users"\} 1$/m,
  );
  assert.match(text, /^phyware_rate_limit_refusals_total\{limit="tenant"\} 1$/m);
});

Deno.test("a method no HTTP client uses is counted as other, so label sets stay few", async () => {
  const stats: OutboxStats = { pending: 0, sent: 0, failed: 0, cancelled: 0, oldestPendingAt: null };
  const store = { outbox: { stats: () => Promise.resolve(stats) } } as unknown as Store;
  const metrics = await createMetrics(store, () => new Date());
  for (let i = 0; i < 100; i++) metrics.observeRequest(`M${i}`, "unmatched", 405, 0.001);
  metrics.observeRequest("DELETE", "/v1/me", 405, 0.001);
  const { text } = await metrics.exposition();
  assert.match(text, /^phyware_http_requests_total\{method="other",route="unmatched",status="405"\} 100$/m);
  assert.match(text, /^phyware_http_requests_total\{method="DELETE",route="\/v1\/me",status="405"\} 1$/m);
  assert.doesNotMatch(text, /method="M1"/);
});
