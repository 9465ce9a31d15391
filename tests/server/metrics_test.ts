import assert from "node:assert/strict";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { holdWriteLock } from "../support/lock_holder.ts";
import { startServerProcess } from "../../scripts/server_process.ts";
import { startTestServer } from "../support/server.ts";

interface Family {
  name: string;
  type: string;
  metrics: {
    labels?: Record<string, string>;
    value?: string;
    count?: string;
    buckets?: Record<string, string>;
  }[];
}

const parse = (text: string) => (parsePrometheusTextFormat as (text: string) => Family[])(text);

function family(families: Family[], name: string): Family {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `no metric family ${name}`);
  return found;
}

function sample(families: Family[], name: string, labels: Record<string, string>) {
  return family(families, name).metrics.find((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)
  );
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

Deno.test("--metrics: GET /metrics in the Prometheus text format, to admin:users credentials only", async () => {
  await using server = await startTestServer({ metrics: true, rateLimit: 3 });
  const scraper = await server.createKey(["admin:users"]);
  const member = await server.createKey([]);
  // Traffic: an invitation, a 404, and a key that runs out of its 3 requests a minute.
  const invited = await fetch(`${server.url}/v1/users`, {
    method: "POST",
    headers: { ...auth(server.apiKey), "content-type": "application/json" },
    body: JSON.stringify({ email: "ada@example.com" }),
  });
  assert.equal(invited.status, 201);
  const { id } = await invited.json() as { id: string };
  await (await fetch(`${server.url}/v1/users/usr_nobody`, { headers: auth(server.apiKey) })).body?.cancel();
  const refused = await fetch(`${server.url}/v1/users/${id}`, { headers: auth(server.apiKey) });
  await refused.body?.cancel();
  assert.equal(refused.status, 429);
  await server.mailIdle();

  const anonymous = await fetch(`${server.url}/metrics`);
  await anonymous.body?.cancel();
  assert.equal(anonymous.status, 401);
  const forbidden = await fetch(`${server.url}/metrics`, { headers: auth(member) });
  await forbidden.body?.cancel();
  assert.equal(forbidden.status, 403);

  const response = await fetch(`${server.url}/metrics`, { headers: auth(scraper) });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const families = parse(text);
  const requests = "phyware_http_requests_total";
  assert.equal(family(families, requests).type, "COUNTER");
  assert.equal(sample(families, requests, { method: "POST", route: "/v1/users", status: "201" })?.value, "1");
  assert.equal(
    sample(families, requests, { method: "GET", route: "/v1/users/{id}", status: "404" })?.value,
    "1",
  );
  assert.equal(
    sample(families, requests, { method: "GET", route: "/v1/users/{id}", status: "429" })?.value,
    "1",
  );
  assert.equal(sample(families, requests, { method: "GET", route: "/metrics", status: "401" })?.value, "1");
  const latency = family(families, "phyware_http_request_duration_seconds");
  assert.equal(latency.type, "HISTOGRAM");
  assert.ok(Object.keys(latency.metrics[0]?.buckets ?? {}).includes("+Inf"));
  // The parser folds a labelled histogram's series into one, so its per-route count is read from the text.
  assert.match(text, /^phyware_http_request_duration_seconds_count\{method="POST",route="\/v1\/users"\} 1$/m);
  const refusals = "phyware_rate_limit_refusals_total";
  assert.equal(sample(families, refusals, { limit: "key" })?.value, "1");
  assert.equal(sample(families, refusals, { limit: "auth-failures" })?.value, "0");
  assert.equal(sample(families, "phyware_outbox_emails", { state: "sent" })?.value, "1");
  assert.equal(sample(families, "phyware_outbox_emails", { state: "pending" })?.value, "0");
  assert.equal(family(families, "phyware_outbox_oldest_pending_age_seconds").metrics[0]?.value, "0");
  assert.equal(sample(families, "phyware_database_errors_total", { kind: "busy" })?.value, "0");
  // The process's own numbers.
  assert.ok(Number(family(families, "phyware_process_cpu_user_seconds_total").metrics[0]?.value) > 0);
  assert.ok(Number(family(families, "phyware_process_resident_memory_bytes").metrics[0]?.value) > 0);
});

Deno.test("without --metrics, GET /metrics is a 404 even to an admin", async () => {
  await using server = await startTestServer();
  const response = await fetch(`${server.url}/metrics`, { headers: auth(server.apiKey) });
  assert.equal(response.status, 404);
  assert.equal((await response.json() as { code: string }).code, "NOT_FOUND");
});

Deno.test("--metrics-listen serves the metrics on their own listener, without a credential", async () => {
  await using server = await startTestServer({ metricsListen: true });
  const url = server.server.metricsUrl;
  assert.ok(url);
  await (await fetch(`${server.url}/healthz`)).body?.cancel();
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  const families = parse(await response.text());
  assert.equal(
    sample(families, "phyware_http_requests_total", { route: "/healthz", status: "200" })?.value,
    "1",
  );
  const other = await fetch(`${url}/v1/users`);
  await other.body?.cancel();
  assert.equal(other.status, 404);
  const main = await fetch(`${server.url}/metrics`, { headers: auth(server.apiKey) });
  await main.body?.cancel();
  assert.equal(main.status, 404, "the API's listener does not serve them");
});

Deno.test("--log-format json: one JSON object per request, with route, status, request id and tenant", async () => {
  const lines: string[] = [];
  await using server = await startTestServer({ logFormat: "json", log: (line) => lines.push(line) });
  const response = await fetch(`${server.url}/v1/users/usr_nobody?x=1`, { headers: auth(server.apiKey) });
  await response.body?.cancel();
  const anonymous = await fetch(`${server.url}/v1/me`);
  await anonymous.body?.cancel();
  const me = await (await fetch(`${server.url}/v1/me`, { headers: auth(server.apiKey) })).json() as {
    tenant: { id: string };
  };
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const first = entries.find((e) => e.request_id === response.headers.get("x-request-id"));
  assert.ok(first);
  assert.deepEqual(Object.keys(first), [
    "time",
    "level",
    "method",
    "route",
    "path",
    "status",
    "ms",
    "request_id",
    "tenant",
  ]);
  assert.equal(first.level, "info");
  assert.equal(first.method, "GET");
  assert.equal(first.route, "/v1/users/{id}");
  assert.equal(first.path, "/v1/users/usr_nobody");
  assert.equal(first.status, 404);
  assert.equal(typeof first.ms, "number");
  assert.equal(first.tenant, me.tenant.id);
  assert.match(String(first.time), /^\d{4}-\d\d-\d\dT/);
  const unauthenticated = entries.find((e) => e.request_id === anonymous.headers.get("x-request-id"));
  assert.equal(unauthenticated?.status, 401);
  assert.equal(unauthenticated?.tenant, null);
  assert.ok(!lines.some((line) => line.includes(server.apiKey)), "no key in the log");
});

for (const runtime of ["deno", "bun"] as const) {
  Deno.test(`as a ${runtime} process: --log-format json and --metrics-listen, at the default limits`, async () => {
    await using server = await startServerProcess({
      phyware: runtime,
      args: ["--log-format", "json", "--metrics-listen", "127.0.0.1:0"],
    });
    const base = `http://127.0.0.1:${server.port}`;
    await (await fetch(`${base}/healthz`)).body?.cancel();
    const deadline = Date.now() + 5000;
    while (!server.stderr().includes('"route":"/healthz"') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lines = server.stderr().split("\n");
    assert.match(lines[0] ?? "", /^phyware server listening on http:\/\/127\.0\.0\.1:\d+$/);
    const metricsUrl = /^phyware server metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)$/m.exec(
      server.stderr(),
    )
      ?.[1];
    assert.ok(metricsUrl, server.stderr());
    const health = lines.map((l) => l.startsWith("{") ? JSON.parse(l) as Record<string, unknown> : {}).find((
      e,
    ) => e.route === "/healthz");
    assert.equal(health?.status, 200);
    const scraped = parse(await (await fetch(metricsUrl)).text());
    assert.equal(sample(scraped, "phyware_http_requests_total", { route: "/healthz" })?.value, "1");
  });
}

Deno.test("a write refused because another process holds the database is counted as a busy database error", async () => {
  await using server = await startTestServer({ metricsListen: true });
  const lock = await holdWriteLock(server.dbPath);
  let status: number;
  try {
    const response = await fetch(`${server.url}/v1/users`, {
      method: "POST",
      headers: { ...auth(server.apiKey), "content-type": "application/json" },
      body: JSON.stringify({ email: "blocked@example.com" }),
    });
    await response.body?.cancel();
    status = response.status;
  } finally {
    await lock.release();
  }
  assert.equal(status, 503);
  const families = parse(await (await fetch(`${server.server.metricsUrl}/metrics`)).text());
  assert.equal(sample(families, "phyware_database_errors_total", { kind: "busy" })?.value, "1");
  assert.equal(
    sample(families, "phyware_http_requests_total", { method: "POST", route: "/v1/users", status: "503" })
      ?.value,
    "1",
  );
});
