/** The database server cannot be reached for now (PostgreSQL down, restarting, out of connections). */

/** Nothing was written (or a read could not be made); a retry after `retryAfterSeconds` may work. */
export class DatabaseUnavailableError extends Error {
  /** Seconds after which a retry is likely to succeed (for Retry-After). */
  readonly retryAfterSeconds: number;

  constructor(detail: string, retryAfterSeconds = 1) {
    super(`The database is unavailable: ${detail}`);
    this.name = "DatabaseUnavailableError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
