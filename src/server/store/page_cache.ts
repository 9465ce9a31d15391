/** Pages of users as last read, kept while the database is unchanged. */

/** A cached value and what it costs to keep. */
export interface Sized {
  /** Bytes the value holds (roughly: its JSON). */
  readonly size: number;
}

/**
 * Pages by query, all valid for one state of the database, named by a stamp: the caller's count of its own
 * write transactions and SQLite's `data_version` (which moves when another connection commits). A lookup
 * under another stamp empties the cache, so a page is never served after any write, by this process or
 * another. Least recently used pages go first once `maxBytes` is reached; a page over a quarter of it is not
 * kept.
 */
export class PageCache<T extends Sized> {
  readonly #maxBytes: number;
  readonly #pages = new Map<string, T>();
  #bytes = 0;
  #stamp = "";

  /** `maxBytes`: what all pages together may hold; 0 keeps nothing. */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  #at(stamp: string): void {
    if (stamp === this.#stamp) return;
    this.#pages.clear();
    this.#bytes = 0;
    this.#stamp = stamp;
  }

  /** The page of `key` read at `stamp`, if there is one. */
  get(key: string, stamp: string): T | undefined {
    this.#at(stamp);
    const page = this.#pages.get(key);
    if (page === undefined) return undefined;
    // Map order is insertion order: moving the page to the end makes the first one the least recently used.
    this.#pages.delete(key);
    this.#pages.set(key, page);
    return page;
  }

  /** Keeps the page of `key`, read at `stamp` (read the stamp before the page). */
  set(key: string, page: T, stamp: string): void {
    this.#at(stamp);
    if (page.size > this.#maxBytes / 4) return;
    const old = this.#pages.get(key);
    if (old !== undefined) {
      this.#pages.delete(key);
      this.#bytes -= old.size;
    }
    for (const [oldest, value] of this.#pages) {
      if (this.#bytes + page.size <= this.#maxBytes) break;
      this.#pages.delete(oldest);
      this.#bytes -= value.size;
    }
    this.#pages.set(key, page);
    this.#bytes += page.size;
  }

  /** Pages and bytes held (for tests). */
  get stats(): { pages: number; bytes: number } {
    return { pages: this.#pages.size, bytes: this.#bytes };
  }
}
