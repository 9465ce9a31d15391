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

/** A 429 asking to come back in `seconds`; `limit` names the limit that refused (for the metrics). */
export class RateLimitedProblem extends HttpProblem {
  /** `key`, `tenant`, `key-invitations`, `tenant-invitations` or `auth-failures` (the RateLimit policy names). */
  readonly limit: string;

  constructor(seconds: number, limit: string) {
    super(429, "RATE_LIMITED", `Rate limit exceeded: retry in ${seconds} s`, {
      "retry-after": String(seconds),
    });
    this.limit = limit;
  }
}

/** A 429 of `limit` asking to come back in `seconds`. */
export function rateLimited(seconds: number, limit = "key"): HttpProblem {
  return new RateLimitedProblem(seconds, limit);
}

type Charge = readonly (readonly [RateLimiter, string])[];

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) of some buckets: each limit that is
 * on is a policy named as the limiter, of `q` requests a `w`-second window; its state is `r` requests left
 * and `t` seconds until the next one comes. docs/rate-limits.md describes them.
 */
function rateLimitHeaders(charges: Charge): Record<string, string> {
  const on = charges.filter(([limiter]) => limiter.perMinute > 0);
  if (on.length === 0) return {};
  const policy = on.map(([limiter]) => `"${limiter.name}";q=${limiter.perMinute};w=60`);
  const state = on.map(([limiter, key]) => {
    const { remaining, reset } = limiter.state(key);
    return `"${limiter.name}";r=${remaining};t=${reset}`;
  });
  return { "ratelimit-policy": policy.join(", "), "ratelimit": state.join(", ") };
}

// The 429 of the bucket that makes the caller wait longest, if any does, with the buckets' RateLimit fields.
function throwIfWaiting(charges: Charge, before: () => void = () => {}): void {
  let wait = 0;
  let limit = "";
  for (const [limiter, key] of charges) {
    const w = limiter.wait(key);
    if (w > wait) [wait, limit] = [w, limiter.name];
  }
  if (wait <= 0) return;
  before();
  const problem = rateLimited(wait, limit);
  for (const [name, value] of Object.entries(rateLimitHeaders(charges))) problem.headers[name] ??= value;
  throw problem;
}

// Takes one token from every bucket, or from none: a refusal by one bucket costs the others nothing.
function chargeAll(charges: Charge): void {
  throwIfWaiting(charges);
  for (const [limiter, key] of charges) limiter.take(key);
}

/**
 * What the routes need of the limits. `Limits` keeps them in this process's memory (one instance, SQLite);
 * an engine shared by several instances provides its own (PostgresLimits, kept in the database) through
 * `Store.sharedLimits`, whose answers are promises: callers await every method but `headers`.
 */
export interface RequestLimits {
  /** Charges one request to the caller's credential and tenant; 429 (charging neither) when one is spent. */
  admitRequest(p: Principal): void | Promise<void>;
  /** 429 when the caller's invitation budget is spent, charging nothing (the request is given back). */
  checkInvite(p: Principal): void | Promise<void>;
  /** Charges one invitation (after the request proved valid); as checkInvite when the budget is spent. */
  chargeInvite(p: Principal): void | Promise<void>;
  /** Gives back an invitation charged for a request another limit then refused. */
  refundInvite(p: Principal): void | Promise<void>;
  /** The RateLimit and RateLimit-Policy header fields of the caller's limits. */
  headers(p: Principal, invitations: boolean): Record<string, string>;
  /** A failed authentication from the caller's address: counted, or 429 once the address used them up. */
  authFailed(address: () => string): void | Promise<void>;
}

/** The service's limiters, over the injected clock (milliseconds). */
export class Limits implements RequestLimits {
  readonly #request: RateLimiter;
  readonly #tenantRequest: RateLimiter;
  readonly #invite: RateLimiter;
  readonly #tenantInvite: RateLimiter;
  readonly #authFailures: RateLimiter;

  constructor(settings: LimitSettings, clock: () => number) {
    this.#request = new RateLimiter(settings.rate, clock, "key");
    this.#tenantRequest = new RateLimiter(settings.tenantRate, clock, "tenant");
    this.#invite = new RateLimiter(settings.inviteRate, clock, "key-invitations");
    this.#tenantInvite = new RateLimiter(settings.tenantInviteRate, clock, "tenant-invitations");
    this.#authFailures = new RateLimiter(settings.authFailures, clock, "auth-failures");
  }

  #requestCharge(p: Principal): Charge {
    return [[this.#request, p.credentialId], [this.#tenantRequest, p.tenantId]];
  }

  #inviteCharge(p: Principal): Charge {
    return [[this.#invite, p.credentialId], [this.#tenantInvite, p.tenantId]];
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
    throwIfWaiting(this.#inviteCharge(p), () => {
      for (const [limiter, key] of this.#requestCharge(p)) limiter.refund(key);
    });
  }

  /**
   * The RateLimit and RateLimit-Policy header fields of the caller's request limits, and of its invitation
   * limits when `invitations` (the route invites); empty when every limit is off.
   */
  headers(p: Principal, invitations: boolean): Record<string, string> {
    return rateLimitHeaders([...this.#requestCharge(p), ...(invitations ? this.#inviteCharge(p) : [])]);
  }

  /** Gives back an invitation charged for a request another limit then refused (a resend's cooldown). */
  refundInvite(p: Principal): void {
    for (const [limiter, key] of this.#inviteCharge(p)) limiter.refund(key);
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
    if (wait > 0) throw rateLimited(wait, this.#authFailures.name);
  }

  /** Counts one failed authentication from the caller's address. */
  recordAuthFailure(address: () => string): void {
    this.#authFailures.take(address());
  }

  /** Only a failing attempt is refused: 429 once the address used up its failures, else it is counted. */
  authFailed(address: () => string): void {
    this.checkAuthFailures(address);
    this.recordAuthFailure(address);
  }
}
