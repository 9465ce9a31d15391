/** Per-credential token buckets: `perMinute` requests a minute, with bursts of up to that many. */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** `perMinute` 0 turns the limit off; `now` returns milliseconds. */
  constructor(perMinute: number, now: () => number) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait (for Retry-After). */
  take(key: string): number {
    if (this.#perMinute <= 0) return 0;
    const now = this.#now();
    const ratePerMs = this.#perMinute / 60_000;
    const bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= 10_000) this.#sweep(now, ratePerMs);
      this.#buckets.set(key, { tokens: this.#perMinute - 1, at: now });
      return 0;
    }
    bucket.tokens = Math.min(this.#perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
  }

  #sweep(now: number, ratePerMs: number): void {
    // Full buckets carry no information; dropping them bounds memory.
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * ratePerMs >= this.#perMinute) this.#buckets.delete(key);
    }
  }
}
