import assert from "node:assert/strict";
import { ConnectionError, ServerError } from "../errors.ts";
import { decide, type Failure, type RetrySettings } from "./retry_policy.ts";

const settings: RetrySettings = {
  maxRetries: 3,
  backoffMs: 250,
  maxRetryAfterSeconds: 60,
  timeoutMs: 30_000,
  random: () => 0.5,
};
const status = (code: number, retryAfterSeconds?: number): Failure => ({
  kind: "status",
  status: code,
  body: undefined,
  requestId: undefined,
  retryAfterSeconds,
});

Deno.test("decide backs off on a dropped connection and 502/503/504, doubling up to 8 s", () => {
  const unreachable: Failure = {
    kind: "unreachable",
    baseUrl: "http://x.test",
    reason: "connection refused",
  };
  assert.deepEqual(decide(unreachable, 0, settings), { retry: true, waitMs: 187.5 });
  assert.deepEqual(decide(status(503), 1, settings), { retry: true, waitMs: 375 });
  assert.deepEqual(decide(status(504), 2, { ...settings, maxRetries: 10, backoffMs: 5000 }), {
    retry: true,
    waitMs: 6000,
  });
});

Deno.test("decide waits for a Retry-After within the limits, and fails at once past them", () => {
  assert.deepEqual(decide(status(429, 2), 0, settings), {
    retry: true,
    waitMs: 2000,
    notice: "Rate limited by the server; retrying in 2 s",
  });
  const late = decide(status(429, 61), 0, settings);
  assert.ok(!late.retry && late.error instanceof ConnectionError);
  assert.equal(late.error.remediation, "Retry after 61 s");
});

Deno.test("decide gives up after the last retry, and at once on a timeout or another status", () => {
  const last = decide(status(503), 3, settings);
  assert.ok(!last.retry && last.error instanceof ServerError);
  const timeout = decide({ kind: "timeout", url: "http://x.test/v1", timeoutMs: 500 }, 0, settings);
  assert.ok(!timeout.retry);
  assert.equal(timeout.error.message, "Request to http://x.test/v1 timed out after 0.5s");
  assert.equal(decide(status(400), 0, settings).retry, false);
});

Deno.test("decide: with retryRateLimited false a 429 is final at once (the caller paces), a 503 still waits", () => {
  const settings = {
    maxRetries: 3,
    backoffMs: 250,
    maxRetryAfterSeconds: 60,
    timeoutMs: 30_000,
    random: () => 0.5,
    retryRateLimited: false,
  };
  const failure = (status: number) => ({
    kind: "status" as const,
    status,
    body: { code: "RATE_LIMITED", detail: "Rate limit exceeded: retry in 2 s" },
    requestId: undefined,
    retryAfterSeconds: 2,
  });
  const limited = decide(failure(429), 0, settings);
  assert.equal(limited.retry, false);
  assert.equal(limited.retry ? "" : limited.error.code, "RATE_LIMITED");
  assert.equal(decide(failure(503), 0, settings).retry, true);
  assert.equal(decide(failure(429), 0, { ...settings, retryRateLimited: true }).retry, true);
});
