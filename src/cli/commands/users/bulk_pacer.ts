/**
 * Pacing of bulk commands from the server's own limits: the IETF RateLimit header fields
 * (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "key";q=600;w=60`, `RateLimit: "key";r=12;t=1`)
 * and Retry-After. Requests in flight grow by one per window of successes and halve on a 429 (additive
 * increase, multiplicative decrease); when a policy has nothing left, or after a 429, no request starts
 * before its time. docs/rate-limits.md tells the whole story.
 */
import { ConnectionError, PhywareError } from "../../../errors.ts";

/** One policy's state from the RateLimit field: `remaining` requests within `resetSeconds`. */
export interface ServiceLimit {
  name: string;
  remaining: number;
  resetSeconds: number;
}

/** One policy from RateLimit-Policy: `quota` requests a `windowSeconds` window. */
export interface QuotaPolicy {
  name: string;
  quota: number;
  windowSeconds: number;
}

// Items of a structured-field list: `"name";a=1;b=2` (or a bare token name), separated by commas.
function items(value: string | null): Array<{ name: string; params: Map<string, number> }> {
  if (value === null) return [];
  const out: Array<{ name: string; params: Map<string, number> }> = [];
  for (const item of value.split(",")) {
    const [rawName, ...rawParams] = item.trim().split(";");
    const name = (rawName ?? "").trim().replace(/^"(.*)"$/, "$1");
    if (name === "") continue;
    const params = new Map<string, number>();
    for (const param of rawParams) {
      const match = /^\s*([a-z][a-z0-9_.*-]*)=(\d{1,15})\s*$/.exec(param);
      if (match?.[1] !== undefined) params.set(match[1], Number(match[2]));
    }
    out.push({ name, params });
  }
  return out;
}

/** Parses the RateLimit field; malformed items are ignored, as the draft says. */
export function parseRateLimit(value: string | null): ServiceLimit[] {
  return items(value).flatMap(({ name, params }) => {
    const remaining = params.get("r");
    if (remaining === undefined) return [];
    return [{ name, remaining, resetSeconds: params.get("t") ?? 0 }];
  });
}

/** Parses the RateLimit-Policy field; malformed items are ignored. */
export function parseRateLimitPolicy(value: string | null): QuotaPolicy[] {
  return items(value).flatMap(({ name, params }) => {
    const quota = params.get("q");
    const windowSeconds = params.get("w");
    if (quota === undefined || quota <= 0 || windowSeconds === undefined || windowSeconds <= 0) return [];
    return [{ name, quota, windowSeconds }];
  });
}

/** Whether an error is the server's 429 (the client was told not to retry it: the pacer does). */
export function isRateLimited(error: unknown): error is PhywareError {
  return error instanceof PhywareError && error.status === 429;
}

/** What the pacer needs from its surroundings. */
export interface PacerOptions {
  /** Most requests in flight (--concurrency). */
  concurrency: number;
  /** Longest a row may wait for the limits in all (--max-wait), in ms; undefined: no limit. */
  maxWaitMs: number | undefined;
  /** The clock, in ms. */
  now: () => number;
  /** Waits ms milliseconds. */
  sleep: (ms: number) => Promise<void>;
  /** Told once per pause of the whole run, when a row first waits it out (its length in ms), to say so. */
  onPause?: (ms: number) => void;
}

/** Paces the requests of one bulk run; see the module's comment. */
export class Pacer {
  readonly #o: PacerOptions;
  #window: number;
  #inFlight = 0;
  #until = 0;
  #told = 0;
  readonly #waiters: Array<() => void> = [];
  readonly #policies = new Map<string, QuotaPolicy>();
  readonly #limits = new Map<string, ServiceLimit>();
  /** 429 answers so far. */
  limited = 0;

  constructor(options: PacerOptions) {
    this.#o = options;
    this.#window = options.concurrency;
  }

  /** Requests allowed in flight now. */
  get window(): number {
    return Math.max(1, Math.floor(this.#window));
  }

  /** Milliseconds until requests may start again (0: now). */
  get pauseMs(): number {
    return Math.max(0, this.#until - this.#o.now());
  }

  /** A fetch that reads the limit fields of every answer before handing it on. */
  fetch(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      const response = await inner(input, init);
      this.observe(response);
      return response;
    };
  }

  /** Learns from an answer's RateLimit, RateLimit-Policy and (on 429) Retry-After fields. */
  observe(response: Response): void {
    for (const policy of parseRateLimitPolicy(response.headers.get("ratelimit-policy"))) {
      this.#policies.set(policy.name, policy);
    }
    for (const limit of parseRateLimit(response.headers.get("ratelimit"))) {
      this.#limits.set(limit.name, limit);
      if (limit.remaining === 0) this.#pauseFor(Math.max(1, limit.resetSeconds) * 1000);
    }
    if (response.status === 429) {
      // Retry-After takes precedence over the RateLimit field (the draft says so).
      const after = Number(response.headers.get("retry-after"));
      this.#pauseFor(Number.isFinite(after) && after > 0 ? after * 1000 : 1000);
    }
  }

  #pauseFor(ms: number): void {
    this.#until = Math.max(this.#until, this.#o.now() + ms);
  }

  /**
   * Seconds until `rows` more requests are through, from the tightest advertised policy (what it has left
   * now, then its quota per window) and any pause; undefined when the server advertised none.
   */
  etaSeconds(rows: number): number | undefined {
    let eta: number | undefined;
    for (const [name, limit] of this.#limits) {
      const policy = this.#policies.get(name);
      if (policy === undefined) continue;
      const beyond = Math.max(0, rows - limit.remaining);
      const seconds = beyond * policy.windowSeconds / policy.quota;
      eta = Math.max(eta ?? 0, seconds);
    }
    return eta === undefined ? undefined : eta + this.pauseMs / 1000;
  }

  /**
   * Runs one request of a row when the limits allow, again after each 429 until it is done; throws the
   * 429's error only when waiting more would pass --max-wait (counted from `started`, the row's start).
   */
  async run<T>(task: () => Promise<T>, started: number): Promise<T> {
    let lastLimited: PhywareError | undefined;
    for (;;) {
      await this.#acquire(started, lastLimited);
      try {
        const result = await task();
        // Additive increase: about one more in flight per window's worth of successes.
        this.#window = Math.min(this.#o.concurrency, this.#window + 1 / this.window);
        return result;
      } catch (error) {
        if (!isRateLimited(error)) throw error;
        this.limited++;
        lastLimited = error;
        // Multiplicative decrease.
        this.#window = Math.max(1, this.#window / 2);
      } finally {
        this.#release();
      }
    }
  }

  async #acquire(started: number, lastLimited: PhywareError | undefined): Promise<void> {
    for (;;) {
      const pause = this.pauseMs;
      if (pause > 0) {
        const { maxWaitMs } = this.#o;
        if (maxWaitMs !== undefined && this.#o.now() + pause - started > maxWaitMs) {
          throw lastLimited ?? new ConnectionError(
            `Rate limited by the server for longer than --max-wait`,
            { code: "RATE_LIMITED", status: 429, remediation: `Retry after ${Math.ceil(pause / 1000)} s` },
          );
        }
        if (this.#told < this.#until - pause / 2) {
          // A new pause (not the same one extended by a few ms): say so once.
          this.#told = this.#until;
          this.#o.onPause?.(pause);
        }
        await this.#o.sleep(pause);
        continue;
      }
      if (this.#inFlight < this.window) {
        this.#inFlight++;
        return;
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #release(): void {
    this.#inFlight--;
    this.#waiters.shift()?.();
  }
}
