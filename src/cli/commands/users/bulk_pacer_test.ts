import assert from "node:assert/strict";
import { ConnectionError } from "../../../errors.ts";
import { Pacer, parseRateLimit, parseRateLimitPolicy } from "./bulk_pacer.ts";

function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    sleeps,
    advance: (ms: number) => now += ms,
  };
}

const limited = () =>
  new ConnectionError("Rate limit exceeded: retry in 2 s", { code: "RATE_LIMITED", status: 429 });
const answer = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });

Deno.test("parseRateLimit and parseRateLimitPolicy read the draft's lists and ignore malformed items", () => {
  assert.deepEqual(parseRateLimit('"key";r=12;t=1, "key-invitations";r=0;t=30, bad;t=1, ;r=1'), [
    { name: "key", remaining: 12, resetSeconds: 1 },
    { name: "key-invitations", remaining: 0, resetSeconds: 30 },
  ]);
  assert.deepEqual(parseRateLimitPolicy('"key";q=600;w=60, "x";q=0;w=60, y;q=5'), [
    { name: "key", quota: 600, windowSeconds: 60 },
  ]);
  assert.deepEqual(parseRateLimit(null), []);
});

Deno.test("a 429'd request is retried after Retry-After until it is done; the window halves, then grows back", async () => {
  const c = clock();
  const pacer = new Pacer({ concurrency: 8, maxWaitMs: undefined, now: c.now, sleep: c.sleep });
  let calls = 0;
  const result = await pacer.run(() => {
    calls++;
    if (calls <= 2) {
      pacer.observe(answer(429, { "retry-after": "2" }));
      return Promise.reject(limited());
    }
    return Promise.resolve("done");
  }, 0);
  assert.equal(result, "done");
  assert.deepEqual(c.sleeps, [2000, 2000]);
  assert.equal(pacer.limited, 2);
  assert.equal(pacer.window, 2, "8, halved twice, then one success adds a half");
  for (let i = 0; i < 40; i++) await pacer.run(() => Promise.resolve(i), c.now());
  assert.equal(pacer.window, 8, "additive increase back to --concurrency, never beyond");
});

Deno.test("no request starts while a policy has nothing left: RateLimit r=0 pauses for t seconds", async () => {
  const c = clock();
  const pacer = new Pacer({ concurrency: 4, maxWaitMs: undefined, now: c.now, sleep: c.sleep });
  pacer.observe(answer(201, { "ratelimit": '"key";r=599;t=1, "key-invitations";r=0;t=3' }));
  assert.equal(pacer.pauseMs, 3000);
  await pacer.run(() => Promise.resolve(1), c.now());
  assert.deepEqual(c.sleeps, [3000]);
  pacer.observe(answer(201, { "ratelimit": '"key";r=598;t=1' }));
  await pacer.run(() => Promise.resolve(2), c.now());
  assert.deepEqual(c.sleeps, [3000], "r > 0: no wait");
});

Deno.test("--max-wait: a row that would wait longer in all fails with the 429's error, at once", async () => {
  const c = clock();
  const told: number[] = [];
  const pacer = new Pacer({
    concurrency: 4,
    maxWaitMs: 5000,
    now: c.now,
    sleep: c.sleep,
    onPause: (ms) => void told.push(ms),
  });
  const error = limited();
  const started = c.now();
  await assert.rejects(
    () =>
      pacer.run(() => {
        pacer.observe(answer(429, { "retry-after": "60" }));
        return Promise.reject(error);
      }, started),
    (e) => e === error,
  );
  assert.deepEqual(c.sleeps, [], "did not wait at all");
  assert.deepEqual(told, [], "nobody waited: nothing to say");
  // Without a limit it waits, and says so once per pause.
  const toldPatient: number[] = [];
  const patient = new Pacer({
    concurrency: 4,
    maxWaitMs: undefined,
    now: c.now,
    sleep: c.sleep,
    onPause: (ms) => void toldPatient.push(ms),
  });
  patient.observe(answer(429, { "retry-after": "60" }));
  await Promise.all([
    patient.run(() => Promise.resolve(1), c.now()),
    patient.run(() => Promise.resolve(2), c.now()),
  ]);
  assert.deepEqual(toldPatient, [60_000]);
});

Deno.test("etaSeconds: what the tightest policy has left, then its quota per window, plus any pause", () => {
  const c = clock();
  const pacer = new Pacer({ concurrency: 4, maxWaitMs: undefined, now: c.now, sleep: c.sleep });
  assert.equal(pacer.etaSeconds(100), undefined, "no advertised policy");
  pacer.observe(answer(201, {
    "ratelimit-policy": '"key";q=600;w=60, "key-invitations";q=60;w=60',
    "ratelimit": '"key";r=500;t=1, "key-invitations";r=10;t=1',
  }));
  assert.equal(pacer.etaSeconds(100), 90);
  assert.equal(pacer.etaSeconds(5), 0);
});
