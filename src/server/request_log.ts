/**
 * The request log of `server start`: lines are held until `release()` (so the listening line is always the
 * first line on stderr), then written in batches. One write per batch instead of one per request: at
 * thousands of requests a second, a write per line (an fs.write through the thread pool) costs about as
 * much as the rest of a small request.
 */

/** Settings of a RequestLog. */
export interface RequestLogOptions {
  /** How long the first line of a batch waits for others (default 20 ms). */
  delayMs?: number;
}

/** A batched, initially held, line log over one writer. */
export class RequestLog {
  readonly #write: (text: string) => Promise<void>;
  readonly #delayMs: number;
  #held: string[] | undefined = [];
  #batch: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `write` gets whole lines, each ending in a newline; its failures are ignored (a log must not crash). */
  constructor(write: (text: string) => Promise<void>, options: RequestLogOptions = {}) {
    this.#write = write;
    this.#delayMs = options.delayMs ?? 20;
  }

  /** Logs one line (without its newline). */
  readonly line = (line: string): void => {
    if (this.#held) {
      this.#held.push(line);
      return;
    }
    if (this.#batch.push(line) === 1) this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
  };

  /** Stops holding: the lines held so far, then every later line, go out in batches. */
  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const line of held) this.line(line);
  }

  /** Writes the pending batch now (held lines stay held). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch.length === 0) return Promise.resolve();
    const text = this.#batch.join("\n") + "\n";
    this.#batch = [];
    return this.#write(text).catch(() => {});
  }
}
