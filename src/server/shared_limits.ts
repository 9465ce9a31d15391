/**
 * The service's limits for several instances on one database: the same limits, names and answers as
 * limits.ts (per credential and tenant for requests and invitations, failed authentications per address),
 * but each bucket is kept by the store (`Store.buckets`: a row of PostgreSQL every instance charges), so a
 * limit holds for the service as a whole. The RateLimit header fields show the state this instance last saw.
 */
import { type LimitSettings, rateLimited, type RequestLimits } from "./limits.ts";
import type { BucketCharge, BucketState, Principal, SharedBuckets } from "./store/types.ts";

interface Named extends BucketCharge {
  /** The policy's name in the RateLimit header fields. */
  name: string;
}

/** The limits over the store's shared buckets; every method answers as Limits does, asynchronously. */
export class SharedLimits implements RequestLimits {
  readonly #buckets: SharedBuckets;
  readonly #settings: LimitSettings;
  readonly #clock: () => number;
  // The last state seen of each bucket this instance charged (bounded: the oldest go first).
  readonly #seen = new Map<string, BucketState>();

  /** `clock` returns milliseconds; a limit of 0 is off and never reaches the database. */
  constructor(buckets: SharedBuckets, settings: LimitSettings, clock: () => number) {
    this.#buckets = buckets;
    this.#settings = settings;
    this.#clock = clock;
  }

  #on(charges: Named[]): Named[] {
    return charges.filter((c) => c.perMinute > 0);
  }

  #requestCharge(p: Principal): Named[] {
    return this.#on([
      { key: `key:${p.credentialId}`, perMinute: this.#settings.rate, name: "key" },
      { key: `tenant:${p.tenantId}`, perMinute: this.#settings.tenantRate, name: "tenant" },
    ]);
  }

  #inviteCharge(p: Principal): Named[] {
    return this.#on([
      {
        key: `key-invitations:${p.credentialId}`,
        perMinute: this.#settings.inviteRate,
        name: "key-invitations",
      },
      {
        key: `tenant-invitations:${p.tenantId}`,
        perMinute: this.#settings.tenantInviteRate,
        name: "tenant-invitations",
      },
    ]);
  }

  #remember(states: readonly BucketState[]): void {
    for (const state of states) {
      this.#seen.delete(state.key);
      this.#seen.set(state.key, state);
    }
    while (this.#seen.size > 10_000) this.#seen.delete(this.#seen.keys().next().value as string);
  }

  // Gives the tokens back, and counts them in what this instance last saw of the buckets.
  async #refund(charges: Named[]): Promise<void> {
    if (charges.length === 0) return;
    await this.#buckets.refund(charges);
    for (const c of charges) {
      const seen = this.#seen.get(c.key);
      if (seen) this.#seen.set(c.key, { ...seen, remaining: Math.min(c.perMinute, seen.remaining + 1) });
    }
  }

  async #charge(charges: Named[], take = true): Promise<number> {
    if (charges.length === 0) return 0;
    const { wait, states } = await this.#buckets.charge(charges, this.#clock(), take);
    this.#remember(states);
    return wait;
  }

  /** Charges one request to the caller's credential and tenant; 429 (charging neither) when one is spent. */
  async admitRequest(p: Principal): Promise<void> {
    const charges = this.#requestCharge(p);
    const wait = await this.#charge(charges);
    if (wait > 0) throw this.#refusal(wait, charges, p, false);
  }

  /** 429 when the caller's invitation budget is spent, charging nothing; the request is then given back. */
  async checkInvite(p: Principal): Promise<void> {
    const charges = this.#inviteCharge(p);
    const wait = await this.#charge(charges, false);
    if (wait <= 0) return;
    await this.#refund(this.#requestCharge(p));
    throw this.#refusal(wait, charges, p, true);
  }

  /** Charges one invitation (after the request proved valid); as checkInvite when the budget is spent. */
  async chargeInvite(p: Principal): Promise<void> {
    const charges = this.#inviteCharge(p);
    const wait = await this.#charge(charges);
    if (wait <= 0) return;
    await this.#refund(this.#requestCharge(p));
    throw this.#refusal(wait, charges, p, true);
  }

  // The 429 of a refused charge: named for the bucket that has no token, with the caller's RateLimit fields.
  #refusal(wait: number, charges: Named[], p: Principal, invitations: boolean) {
    const empty = charges.find((c) => (this.#seen.get(c.key)?.remaining ?? 1) < 1) ?? charges[0];
    const problem = rateLimited(wait, empty?.name ?? "key");
    for (const [name, value] of Object.entries(this.headers(p, invitations))) problem.headers[name] ??= value;
    return problem;
  }

  /** Gives back an invitation charged for a request another limit then refused. */
  async refundInvite(p: Principal): Promise<void> {
    await this.#refund(this.#inviteCharge(p));
  }

  /** The RateLimit and RateLimit-Policy header fields of the caller's limits, as this instance last saw them. */
  headers(p: Principal, invitations: boolean): Record<string, string> {
    const on = [...this.#requestCharge(p), ...(invitations ? this.#inviteCharge(p) : [])];
    if (on.length === 0) return {};
    const policy = on.map((c) => `"${c.name}";q=${c.perMinute};w=60`);
    const state = on.map((c) => {
      const seen = this.#seen.get(c.key) ?? { remaining: c.perMinute, reset: 1 };
      return `"${c.name}";r=${seen.remaining};t=${seen.reset}`;
    });
    return { "ratelimit-policy": policy.join(", "), "ratelimit": state.join(", ") };
  }

  /**
   * A failed authentication from the caller's address: counted, or 429 when the address has used up its
   * failures on any instance. Only failing attempts are ever charged or refused here.
   */
  async authFailed(address: () => string): Promise<void> {
    if (this.#settings.authFailures <= 0) return;
    const wait = await this.#charge([{
      key: `auth-failures:${address()}`,
      perMinute: this.#settings.authFailures,
      name: "auth-failures",
    }]);
    if (wait > 0) throw rateLimited(wait, "auth-failures");
  }
}
