import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limit.ts";

Deno.test("a bucket allows a burst of perMinute, then refills at perMinute a minute", () => {
  let now = 0;
  const limiter = new RateLimiter(60, () => now);
  for (let i = 0; i < 60; i++) assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 1, "one token a second: retry in 1 s");
  assert.equal(limiter.take("other"), 0, "buckets are per key");
  now += 1000;
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 1);
});

Deno.test("Retry-After rounds up to whole seconds", () => {
  let now = 0;
  const limiter = new RateLimiter(2, () => now);
  limiter.take("k");
  limiter.take("k");
  assert.equal(limiter.take("k"), 30);
  now += 29_500;
  assert.equal(limiter.take("k"), 1);
});

Deno.test("a limit of 0 is off", () => {
  const limiter = new RateLimiter(0, () => 0);
  for (let i = 0; i < 1000; i++) assert.equal(limiter.take("k"), 0);
});

Deno.test("wait looks without taking, and refund gives a token back up to the burst", () => {
  const now = 0;
  const limiter = new RateLimiter(2, () => now);
  assert.equal(limiter.wait("k"), 0);
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.wait("k"), 30);
  assert.equal(limiter.wait("k"), 30, "wait took nothing");
  limiter.refund("k");
  limiter.refund("k");
  limiter.refund("k");
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 30, "refunds never exceed the burst");
});
