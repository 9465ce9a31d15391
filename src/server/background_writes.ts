/**
 * Writes kept off the request path: an API key's last use (at most once a minute per key) and failed
 * authentications (counted per tenant, address and minute). Requests only update maps in memory; `flush`
 * writes what gathered in one transaction each, from a timer and on close.
 */
import type { AuthFailureCount, Store } from "./store/types.ts";

/** A key's last_used_at moves at most this often (per key and process). */
export const KEY_USE_INTERVAL_MS = 60_000;
/** Most keys or failure counts held between flushes; beyond, failures are counted under one address. */
export const MAX_PENDING = 10_000;
/** The address failures are counted under once MAX_PENDING addresses are waiting. */
export const OVERFLOW_ADDRESS = "(other addresses)";

/** A failed authentication, as the request saw it. */
export interface AuthFailure {
  /** The tenant of a known but refused credential; null when the credential is unknown. */
  tenantId: string | null;
  credentialId: string | null;
  clientAddress: string;
  requestId: string;
}

/** The pending writes and their flush. */
export class BackgroundWrites {
  readonly #store: Store;
  readonly #now: () => Date;
  readonly #report: (error: unknown, lost: string) => void;
  // When each key's use was last queued (ms), to skip uses within KEY_USE_INTERVAL_MS of it.
  readonly #queuedAt = new Map<string, number>();
  #uses = new Map<string, string>();
  #failures = new Map<string, AuthFailureCount>();
  #flushing: Promise<void> = Promise.resolve();

  /** `report` hears of a failed flush: the error and what was lost ("2 key uses, 0 failed-authentication counts"). */
  constructor(store: Store, now: () => Date, report: (error: unknown, lost: string) => void) {
    this.#store = store;
    this.#now = now;
    this.#report = report;
  }

  /** Notes that a key authenticated a request; costs a map lookup. */
  keyUsed(keyId: string): void {
    const now = this.#now();
    const ms = now.getTime();
    const queued = this.#queuedAt.get(keyId);
    if (queued !== undefined && ms - queued < KEY_USE_INTERVAL_MS) return;
    if (this.#queuedAt.size >= MAX_PENDING) {
      for (const [id, at] of this.#queuedAt) if (ms - at >= KEY_USE_INTERVAL_MS) this.#queuedAt.delete(id);
      if (this.#queuedAt.size >= MAX_PENDING) this.#queuedAt.clear();
    }
    this.#queuedAt.set(keyId, ms);
    this.#uses.set(keyId, now.toISOString());
  }

  /** Counts one failed authentication in its tenant, address and minute. */
  authFailed(failure: AuthFailure): void {
    const ms = this.#now().getTime();
    const minute = new Date(ms - (ms % 60_000)).toISOString();
    let address = failure.clientAddress;
    let key = `${failure.tenantId}\n${failure.credentialId}\n${address}\n${minute}`;
    let entry = this.#failures.get(key);
    if (entry === undefined && this.#failures.size >= MAX_PENDING) {
      // Memory stays bounded under a spread-out attack: the rest is counted, not itemised.
      address = OVERFLOW_ADDRESS;
      key = `null\nnull\n${address}\n${minute}`;
      entry = this.#failures.get(key);
    }
    if (entry) {
      entry.count++;
      return;
    }
    const overflow = address === OVERFLOW_ADDRESS;
    this.#failures.set(key, {
      tenantId: overflow ? null : failure.tenantId,
      credentialId: overflow ? null : failure.credentialId,
      clientAddress: address,
      minute,
      count: 1,
      requestId: failure.requestId,
    });
  }

  /** Writes what gathered; a failure is reported (and those rows are lost), and rejects only if the report throws. */
  flush(): Promise<void> {
    // Flushes run one after another; one whose report threw does not stop the next.
    this.#flushing = this.#flushing.catch(() => {}).then(async () => {
      const uses = [...this.#uses].map(([keyId, at]) => ({ keyId, at }));
      const failures = [...this.#failures.values()];
      this.#uses = new Map();
      this.#failures = new Map();
      try {
        await this.#store.touchApiKeys(uses);
        await this.#store.recordAuthFailures(failures);
      } catch (error) {
        this.#report(error, `${uses.length} key uses, ${failures.length} failed-authentication counts`);
      }
    });
    return this.#flushing;
  }
}
