/** The server's short-lived cache of resolved API keys, owned by the app's environment (./env.ts). */
import type { Principal } from "./store/types.ts";

const KEY_CACHE_TTL_MS = 1000;
const KEY_CACHE_SIZE = 1000;

/**
 * API keys resolved in the last second, by hash: most requests skip the SQLite lookup. `forget()` (called
 * after a revocation commits) empties it and bumps a generation, so a lookup that began before the
 * revocation cannot put the revoked key back when it finishes; `revalidate()` does the same when the
 * store's revocation counter shows a revocation by another process.
 */
export class ApiKeyCache {
  readonly #clock: () => number;
  readonly #entries = new Map<string, { principal: Principal; until: number }>();
  #generation = 0;
  #revocations = 0;

  /** `clock` returns milliseconds (the service's injected clock). */
  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** The generation to hand back to `set`; take it before the lookup. */
  get generation(): number {
    return this.#generation;
  }

  /** The cached caller of a key hash, while fresh. */
  get(keyHash: string): Principal | undefined {
    const entry = this.#entries.get(keyHash);
    if (entry === undefined) return undefined;
    if (entry.until > this.#clock()) return entry.principal;
    this.#entries.delete(keyHash);
    return undefined;
  }

  /** Remembers a lookup, unless a revocation happened since `generation` was read. */
  set(keyHash: string, principal: Principal, generation: number): void {
    if (generation !== this.#generation) return;
    if (this.#entries.size >= KEY_CACHE_SIZE) this.#entries.clear();
    this.#entries.set(keyHash, { principal, until: this.#clock() + KEY_CACHE_TTL_MS });
  }

  /** Drops every entry when the store's revocation counter moved since the last call (another process). */
  revalidate(revocations: number): void {
    if (revocations === this.#revocations) return;
    this.#revocations = revocations;
    this.forget();
  }

  /** Drops every entry: a credential was revoked. */
  forget(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
