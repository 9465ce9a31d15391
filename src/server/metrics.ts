/**
 * The service's Prometheus metrics (prom-client): requests by route and status with latency histograms,
 * rate-limit refusals by limit, the invitation outbox, database errors, and the process's own numbers.
 * Loaded only when `--metrics` or `--metrics-listen` asks for them.
 */
import type { Store } from "./store/types.ts";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** What the app reports to the metrics. */
export interface Metrics {
  /** One finished request; `route` is the route table's path template, or "unmatched"; odd methods: "other". */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** One request refused by `limit`. */
  rateLimited(limit: string): void;
  /** One request failed by the database: `busy` (503), `full` (507), or `other` (500). */
  databaseError(kind: "busy" | "unavailable" | "full" | "other"): void;
  /** The text exposition and its content type. */
  exposition(): Promise<{ contentType: string; text: string }>;
}

/** Creates the metrics of one service over its store; `now` is the service's clock. */
export async function createMetrics(store: Store, now: () => Date): Promise<Metrics> {
  const client = await import("prom-client");
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "phyware_" });
  const requests = new client.Counter({
    name: "phyware_http_requests_total",
    help: "HTTP requests answered, by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: "phyware_http_request_duration_seconds",
    help: "Time from a request's arrival to its response, by method and route template",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const refusals = new client.Counter({
    name: "phyware_rate_limit_refusals_total",
    help: "Requests refused with 429, by the limit that refused them",
    labelNames: ["limit"] as const,
    registers: [registry],
  });
  for (const limit of ["key", "tenant", "key-invitations", "tenant-invitations", "auth-failures"]) {
    refusals.inc({ limit }, 0);
  }
  const dbErrors = new client.Counter({
    name: "phyware_database_errors_total",
    help: "Requests failed by the database: busy (503), full (507) or another error (500)",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  for (const kind of ["busy", "full", "other"]) dbErrors.inc({ kind }, 0);
  new client.Gauge({
    name: "phyware_outbox_emails",
    help: "Invitation emails in the outbox, by state (pending, sent, failed, cancelled)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const stats = await store.outbox.stats();
      for (const state of ["pending", "sent", "failed", "cancelled"] as const) {
        this.set({ state }, stats[state]);
      }
    },
  });
  new client.Gauge({
    name: "phyware_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest invitation email waiting to be sent; 0 when none waits",
    registers: [registry],
    async collect() {
      const { oldestPendingAt } = await store.outbox.stats();
      this.set(
        oldestPendingAt === null ? 0 : Math.max(0, (now().getTime() - Date.parse(oldestPendingAt)) / 1000),
      );
    },
  });
  // Each label set's children, found once: prom-client would otherwise hash the labels on every request.
  // Methods are any token a client sends, so an unknown one is counted as "other": the label sets stay few.
  const children = new Map<string, { count: { inc(): void }; time: { observe(value: number): void } }>();
  return {
    observeRequest(method, route, status, seconds) {
      const name = KNOWN_METHODS.has(method) ? method : "other";
      const key = `${name} ${route} ${status}`;
      let child = children.get(key);
      if (child === undefined) {
        child = { count: requests.labels(name, route, String(status)), time: latency.labels(name, route) };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
    rateLimited(limit) {
      refusals.inc({ limit });
    },
    databaseError(kind) {
      dbErrors.inc({ kind });
    },
    async exposition() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
