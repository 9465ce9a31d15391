/** Token buckets by key: `perMinute` takes a minute, with bursts of up to that many. */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  /** What the limit is called in metrics. */
  readonly name: string;

  /** `perMinute` 0 turns the limit off; `now` returns milliseconds. */
  constructor(perMinute: number, now: () => number, name = "") {
    this.#perMinute = perMinute;
    this.#now = now;
    this.name = name;
  }

  #bucket(key: string): { tokens: number; at: number } {
    const now = this.#now();
    const ratePerMs = this.#perMinute / 60_000;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= 10_000) this.#sweep(now, ratePerMs);
      bucket = { tokens: this.#perMinute, at: now };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.#perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    return bucket;
  }

  /** Whether no key has taken a token lately (or the limit is off): then every key has its tokens. */
  get idle(): boolean {
    return this.#perMinute <= 0 || this.#buckets.size === 0;
  }

  /** 0 when `key` has a token left, else the seconds until it has one (for Retry-After); takes nothing. */
  wait(key: string): number {
    if (this.#perMinute <= 0 || !this.#buckets.has(key)) return 0;
    const bucket = this.#bucket(key);
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / (this.#perMinute / 60_000) / 1000));
  }

  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait (for Retry-After). */
  take(key: string): number {
    const wait = this.wait(key);
    if (wait === 0 && this.#perMinute > 0) this.#bucket(key).tokens -= 1;
    return wait;
  }

  /** The limit per minute (0: off). */
  get perMinute(): number {
    return this.#perMinute;
  }

  /**
   * The state of `key` for the RateLimit header field, taking nothing: `remaining` whole tokens, and `reset`
   * the seconds until the next token comes, within which no more than `remaining` requests will pass.
   */
  state(key: string): { remaining: number; reset: number } {
    const ratePerSecond = this.#perMinute / 60;
    const tokens = this.#buckets.has(key) ? this.#bucket(key).tokens : this.#perMinute;
    const reset = Math.max(1, Math.ceil((1 - (tokens - Math.floor(tokens))) / ratePerSecond));
    return { remaining: Math.max(0, Math.floor(tokens)), reset };
  }

  /** Gives back a token taken for a request that was then refused by another limit. */
  refund(key: string): void {
    if (this.#perMinute <= 0) return;
    const bucket = this.#bucket(key);
    bucket.tokens = Math.min(this.#perMinute, bucket.tokens + 1);
  }

  #sweep(now: number, ratePerMs: number): void {
    // Full buckets carry no information; dropping them bounds memory.
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * ratePerMs >= this.#perMinute) this.#buckets.delete(key);
    }
  }
}
