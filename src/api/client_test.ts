import assert from "node:assert/strict";
import { ApiClient, type ClientOptions } from "./client.ts";
import { parseRetryAfter } from "./retry_policy.ts";
import {
  AuthError,
  ConnectionError,
  NotFoundError,
  PhywareError,
  ServerError,
  ValidationError,
} from "../errors.ts";

type Step = Response | Error | "hang";

function scripted(steps: Step[]): { fetch: typeof fetch; calls: Request[] } {
  const calls: Request[] = [];
  const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    calls.push(request);
    const step = steps.shift();
    if (step === undefined) throw new Error("no more scripted responses");
    if (step === "hang") {
      return new Promise((_, reject) => {
        request.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    }
    if (step instanceof Error) return Promise.reject(step);
    return Promise.resolve(step);
  };
  return { fetch: fetchFn as typeof fetch, calls };
}

function client(
  fetchFn: typeof fetch,
  extra: Partial<ClientOptions> = {},
): { c: ApiClient; slept: number[] } {
  const slept: number[] = [];
  const c = new ApiClient({
    baseUrl: "http://phycloud.test",
    apiKey: "phy_secretsecret",
    fetch: fetchFn,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    now: () => new Date(0),
    timeoutMs: 1000,
    userAgent: "phyware/test",
    random: () => 0.5,
    ...extra,
  });
  return { c, slept };
}

const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ title: "x", status, detail, code, request_id: "req_1" }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });

Deno.test("GET is retried on 502, 503 and 504 and on a dropped connection, with growing backoff", async () => {
  const { fetch, calls } = scripted([
    new Response("bad gateway", { status: 502 }),
    new TypeError("connection reset"),
    new Response("", { status: 504 }),
    ok({ fine: true }),
  ]);
  const { c, slept } = client(fetch);
  const res = await c.request({ method: "GET", path: "/v1/users", retry: true });
  assert.deepEqual(res.body, { fine: true });
  assert.equal(calls.length, 4);
  assert.deepEqual(slept, [187.5, 375, 750]);
});

Deno.test("429 waits for Retry-After before retrying", async () => {
  const { fetch } = scripted([
    new Response("", { status: 429, headers: { "retry-after": "2" } }),
    ok({}),
  ]);
  const notices: string[] = [];
  const { c, slept } = client(fetch, {
    timeoutMs: 5000,
    notice: (l) => Promise.resolve(void notices.push(l)),
  });
  await c.request({ method: "GET", path: "/", retry: true });
  assert.deepEqual(slept, [2000]);
  assert.deepEqual(notices, ["Rate limited by the server; retrying in 2 s"]);
});

Deno.test("a Retry-After longer than the timeout fails at once", async () => {
  const { fetch, calls } = scripted([new Response("", { status: 429, headers: { "retry-after": "5" } })]);
  const { c } = client(fetch, { timeoutMs: 2000 });
  const error = await c.request({ method: "GET", path: "/", retry: true }).catch((e) => e);
  assert.equal(error.remediation, "Retry after 5 s");
  assert.equal(calls.length, 1);
});

Deno.test("a redirect is not followed: the body would go elsewhere", async () => {
  const { fetch, calls } = scripted([
    new Response("", { status: 307, headers: { location: "https://elsewhere.test/v1/users" } }),
  ]);
  const { c } = client(fetch);
  const error = await c.request({ method: "POST", path: "/v1/users", body: {}, retry: true }).catch((e) => e);
  assert.ok(error instanceof ConnectionError);
  assert.equal(error.message, "The server redirected the request to https://elsewhere.test/v1/users");
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.redirect, "manual");
});

Deno.test("a Retry-After beyond the limit fails at once, saying when to retry", async () => {
  const { fetch, calls } = scripted([new Response("", { status: 429, headers: { "retry-after": "3600" } })]);
  const { c } = client(fetch);
  const error = await c.request({ method: "GET", path: "/", retry: true }).catch((e) => e);
  assert.ok(error instanceof ConnectionError);
  assert.equal(error.remediation, "Retry after 3600 s");
  assert.equal(calls.length, 1);
});

Deno.test("requests that may not be retried are sent once", async () => {
  const { fetch, calls } = scripted([new Response("", { status: 503 })]);
  const { c } = client(fetch);
  await assert.rejects(c.request({ method: "POST", path: "/", retry: false }), ServerError);
  assert.equal(calls.length, 1);
});

Deno.test("retries stop after three and report the last failure", async () => {
  const { fetch, calls } = scripted([
    new Response("", { status: 503 }),
    new Response("", { status: 503 }),
    new Response("", { status: 503 }),
    problem(503, "INTERNAL", "Service unavailable"),
  ]);
  const { c } = client(fetch);
  const error = await c.request({ method: "GET", path: "/", retry: true }).catch((e) => e);
  assert.ok(error instanceof ServerError);
  assert.equal(error.message, "Service unavailable");
  assert.equal(calls.length, 4);
});

Deno.test("the idempotency key is the same on every retry", async () => {
  const { fetch, calls } = scripted([new TypeError("refused"), ok({})]);
  const { c } = client(fetch);
  await c.request({ method: "POST", path: "/v1/users", body: { a: 1 }, idempotencyKey: "k-1", retry: true });
  assert.deepEqual(calls.map((r) => r.headers.get("idempotency-key")), ["k-1", "k-1"]);
  assert.equal(calls[0]?.headers.get("content-type"), "application/json");
});

Deno.test("a request that hangs times out as a connection error", async () => {
  const { fetch } = scripted(["hang"]);
  const { c } = client(fetch, { timeoutMs: 20 });
  const error = await c.request({ method: "GET", path: "/", retry: true }).catch((e) => e);
  assert.ok(error instanceof ConnectionError);
  assert.equal(error.message, "Request to http://phycloud.test/ timed out after 0.02s");
});

Deno.test("problem bodies map to the spec's exit codes with its remediations", async (t) => {
  const cases: Array<[Response, new (...a: never[]) => Error, number, string, string | undefined]> = [
    [problem(401, "UNAUTHENTICATED", "Invalid API key"), AuthError, 2, "Invalid API key", undefined],
    [
      problem(403, "FORBIDDEN", "Insufficient scope"),
      AuthError,
      2,
      "Insufficient scope",
      "Ensure admin:users",
    ],
    [problem(404, "NOT_FOUND", "User not found"), NotFoundError, 3, "User not found", "Check USER_ID"],
    [
      problem(409, "CONFLICT", "Email already exists"),
      ValidationError,
      4,
      "Email already exists",
      "User already invited",
    ],
    [problem(422, "VALIDATION_ERROR", "Invalid email"), ValidationError, 4, "Invalid email", undefined],
    [problem(500, "INTERNAL", "Internal server error"), ServerError, 5, "Internal server error", undefined],
    [
      new Response("<html>oops</html>", { status: 500 }),
      ServerError,
      5,
      "Server error (HTTP 500)",
      undefined,
    ],
  ];
  for (const [response, type, exitCode, message, remediation] of cases) {
    await t.step(`${response.status} ${message}`, async () => {
      const { fetch } = scripted([response]);
      const { c } = client(fetch);
      const error = await c.request({ method: "POST", path: "/", retry: false }).catch((e) => e);
      assert.ok(error instanceof type);
      assert.ok(error instanceof PhywareError);
      assert.equal(error.exitCode, exitCode);
      assert.equal(error.message, message);
      if (remediation !== undefined) assert.equal(error.remediation, remediation);
    });
  }
});

Deno.test("the API key goes only into the Authorization header, and into no log line", async () => {
  const { fetch, calls } = scripted([new Response("", { status: 502 }), ok({})]);
  const lines: string[] = [];
  const { c } = client(fetch, { log: (l) => Promise.resolve(void lines.push(l)) });
  await c.request({ method: "GET", path: "/v1/users", query: { limit: "5" }, retry: true });
  assert.equal(calls[0]?.headers.get("authorization"), "Bearer phy_secretsecret");
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "> GET http://phycloud.test/v1/users?limit=5");
  for (const line of lines) assert.doesNotMatch(line, /secret/);
});

Deno.test("parseRetryAfter reads seconds and HTTP dates", () => {
  assert.equal(parseRetryAfter("5", 0), 5);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 0), 10);
  assert.equal(parseRetryAfter("soon", 0), undefined);
  assert.equal(parseRetryAfter(null, 0), undefined);
});

Deno.test("the query is encoded so the server reads back exactly what was set, and unset values are left out", () => {
  const { c } = client(() => Promise.reject(new Error("no call")));
  assert.equal(c.url({ path: "/v1/users" }), "http://phycloud.test/v1/users");
  const query = { limit: "250", cursor: "a b&c=d/é+%", status: undefined, role: "member" };
  const url = c.url({ path: "/v1/users", query });
  assert.equal(
    url,
    "http://phycloud.test/v1/users?limit=250&cursor=a%20b%26c%3Dd%2F%C3%A9%2B%25&role=member",
  );
  assert.deepEqual(Object.fromEntries(new URL(url).searchParams), {
    limit: "250",
    cursor: query.cursor,
    role: "member",
  });
});
