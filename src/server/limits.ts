/**
 * Every request limit of the service in one place: per credential and per tenant for requests and for
 * invitations, and failed authentication per client address. A request refused by one limit (429) is not
 * charged to any other, and a request rejected as invalid, or for an address that exists (409), is not
 * charged to the invitation budget. Every answer to an authenticated caller carries the IETF RateLimit
 * header fields of its limits (docs/rate-limits.md).
 */
import { HttpProblem } from "./problem.ts";
import { RateLimiter } from "./rate_limit.ts";
import type { Principal } from "./store/types.ts";

/** Limits per minute; 0 turns one off. */
export interface LimitSettings {
  /** Requests per credential. */
  rate: number;
  /** Requests per tenant, all its credentials together. */
  tenantRate: number;
  /** Invitations per credential. */
  inviteRate: number;
  /** Invitations per tenant. */
  tenantInviteRate: number;
  /** Failed authentications (bad keys, bad tokens, bad invitation tokens) per client address. */
  authFailures: number;
}

/** A 429 asking to come back in `seconds`. */
export function rateLimited(seconds: number, headers: Record<string, string> = {}): HttpProblem {
  return new HttpProblem(429, "RATE_LIMITED", `Rate limit exceeded: retry in ${seconds} s`, {
    ...headers,
    "retry-after": String(seconds),
  });
}

/** A bucket and its key, named as its policy in the RateLimit header fields. */
type Charge = readonly (readonly [RateLimiter, string, string])[];

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) of some buckets: each limit that is
 * on is a policy of `q` requests a `w`-second window, and its state `r` requests left, `t` seconds until the
 * next one comes. docs/rate-limits.md describes them.
 */
function rateLimitHeaders(charges: Charge): Record<string, string> {
  const on = charges.filter(([limiter]) => limiter.perMinute > 0);
  if (on.length === 0) return {};
  const policy = on.map(([limiter, , name]) => `"${name}";q=${limiter.perMinute};w=60`);
  const state = on.map(([limiter, key, name]) => {
    const { remaining, reset } = limiter.state(key);
    return `"${name}";r=${remaining};t=${reset}`;
  });
  return { "ratelimit-policy": policy.join(", "), "ratelimit": state.join(", ") };
}

// Takes one token from every bucket, or from none: a refusal by one bucket costs the others nothing.
function chargeAll(charges: Charge): void {
  const wait = Math.max(0, ...charges.map(([limiter, key]) => limiter.wait(key)));
  if (wait > 0) throw rateLimited(wait, rateLimitHeaders(charges));
  for (const [limiter, key] of charges) limiter.take(key);
}

/** The service's limiters, over the injected clock (milliseconds). */
export class Limits {
  readonly #request: RateLimiter;
  readonly #tenantRequest: RateLimiter;
  readonly #invite: RateLimiter;
  readonly #tenantInvite: RateLimiter;
  readonly #authFailures: RateLimiter;

  constructor(settings: LimitSettings, clock: () => number) {
    this.#request = new RateLimiter(settings.rate, clock);
    this.#tenantRequest = new RateLimiter(settings.tenantRate, clock);
    this.#invite = new RateLimiter(settings.inviteRate, clock);
    this.#tenantInvite = new RateLimiter(settings.tenantInviteRate, clock);
    this.#authFailures = new RateLimiter(settings.authFailures, clock);
  }

  #requestCharge(p: Principal): Charge {
    return [[this.#request, p.credentialId, "key"], [this.#tenantRequest, p.tenantId, "tenant"]];
  }

  #inviteCharge(p: Principal): Charge {
    return [
      [this.#invite, p.credentialId, "key-invitations"],
      [this.#tenantInvite, p.tenantId, "tenant-invitations"],
    ];
  }

  /** Charges one request to the caller's credential and tenant; 429 (charging neither) when one is spent. */
  admitRequest(p: Principal): void {
    chargeAll(this.#requestCharge(p));
  }

  /**
   * 429 when the caller's invitation budget is spent, charging nothing; the request itself is then given
   * back, as a refusal by one limit is not charged to another.
   */
  checkInvite(p: Principal): void {
    const wait = Math.max(...this.#inviteCharge(p).map(([limiter, key]) => limiter.wait(key)));
    if (wait <= 0) return;
    for (const [limiter, key] of this.#requestCharge(p)) limiter.refund(key);
    throw rateLimited(wait, this.headers(p, true));
  }

  /**
   * The RateLimit and RateLimit-Policy header fields of the caller's request limits, and of its invitation
   * limits when `invitations` (the route invites); empty when every limit is off.
   */
  headers(p: Principal, invitations: boolean): Record<string, string> {
    return rateLimitHeaders([...this.#requestCharge(p), ...(invitations ? this.#inviteCharge(p) : [])]);
  }

  /** Charges one invitation (after the request proved valid); as checkInvite when the budget is spent. */
  chargeInvite(p: Principal): void {
    this.checkInvite(p);
    chargeAll(this.#inviteCharge(p));
  }

  /**
   * 429 when the caller's address has used up its failed authentications. `address` is asked only when some
   * address has failed lately: finding it costs a system call (getpeername) on every request otherwise.
   */
  checkAuthFailures(address: () => string): void {
    if (this.#authFailures.idle) return;
    const wait = this.#authFailures.wait(address());
    if (wait > 0) throw rateLimited(wait);
  }

  /** Counts one failed authentication from the caller's address. */
  recordAuthFailure(address: () => string): void {
    this.#authFailures.take(address());
  }
}
