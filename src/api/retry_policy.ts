import { ConnectionError, type PhywareError } from "../errors.ts";
import { errorFromResponse } from "./http_errors.ts";

/** Why one attempt gave no usable answer. */
export type Failure =
  | { kind: "timeout"; url: string; timeoutMs: number }
  | { kind: "unreachable"; baseUrl: string; reason: string }
  | { kind: "redirect"; status: number; location: string | undefined }
  | { kind: "not_json"; baseUrl: string; status: number; requestId: string | undefined }
  | { kind: "not_phycloud"; baseUrl: string; status: number; method: string; url: string }
  | {
    kind: "status";
    status: number;
    body: unknown;
    requestId: string | undefined;
    retryAfterSeconds: number | undefined;
  };

/** What to do after a failed attempt: wait and try again, or give up with the error to report. */
export type Decision =
  | { retry: true; waitMs: number; notice?: string }
  | { retry: false; error: PhywareError };

/** The knobs of the policy. */
export interface RetrySettings {
  /** Retries after the first attempt; 0 for a request that may not be retried. */
  maxRetries: number;
  /** First backoff delay in milliseconds; doubles each retry, up to 8 s, with jitter. */
  backoffMs: number;
  /** Longest Retry-After worth waiting for, in seconds; a longer one fails at once. */
  maxRetryAfterSeconds: number;
  /** Time limit of one attempt; a Retry-After beyond it fails at once too. */
  timeoutMs: number;
  /** Random source for the jitter. */
  random: () => number;
  /** Whether a 429 is retried here; false when the caller paces itself (bulk commands). */
  retryRateLimited?: boolean;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * Turns a failed attempt and its number (0 for the first) into a wait or a final error. A dropped or
 * refused connection and 502/503/504 back off; 429 waits for Retry-After when it fits in the limits; a
 * timeout, a redirect and every other answer are final.
 */
export function decide(failure: Failure, attempt: number, settings: RetrySettings): Decision {
  if (attempt < settings.maxRetries) {
    const backoff = Math.min(8000, settings.backoffMs * 2 ** attempt) * (0.5 + settings.random() / 2);
    if (failure.kind === "unreachable") return { retry: true, waitMs: backoff };
    const paced = failure.kind === "status" && failure.status === 429 && settings.retryRateLimited === false;
    if (failure.kind === "status" && RETRYABLE_STATUS.has(failure.status) && !paced) {
      const after = failure.retryAfterSeconds;
      if (after === undefined) return { retry: true, waitMs: backoff };
      // Waits longer than --timeout (or a minute) fail at once, saying when to come back.
      if (after <= settings.maxRetryAfterSeconds && after * 1000 <= settings.timeoutMs) {
        return {
          retry: true,
          waitMs: Math.max(after * 1000, 1),
          notice: `Rate limited by the server; retrying in ${after} s`,
        };
      }
    }
  }
  return { retry: false, error: failureError(failure) };
}

/** The typed error, with its exit code and remediation, that a failure ends in. */
export function failureError(failure: Failure): PhywareError {
  switch (failure.kind) {
    case "timeout":
      return new ConnectionError(
        `Request to ${failure.url} timed out after ${failure.timeoutMs / 1000}s`,
        { code: "TIMEOUT", remediation: "Check the server, or allow more time with --timeout" },
      );
    case "unreachable":
      return new ConnectionError(`Cannot reach ${failure.baseUrl}: ${failure.reason}`, {
        code: "CONNECTION_ERROR",
        remediation: "Check --url or PHYCLOUD_URL and that the server is running",
      });
    case "redirect":
      return new ConnectionError(
        `The server redirected the request to ${failure.location ?? "another address"}`,
        {
          code: "REDIRECT",
          status: failure.status,
          remediation: "Point --url or PHYCLOUD_URL at the service itself",
        },
      );
    case "not_json":
      return new ConnectionError(`Unexpected response from ${failure.baseUrl}: the body is not JSON`, {
        status: failure.status,
        ...(failure.requestId ? { requestId: failure.requestId } : {}),
      });
    case "not_phycloud":
      return new ConnectionError(
        `The server at ${failure.baseUrl} did not answer as PhyCloud: HTTP ${failure.status} for ` +
          `${failure.method} ${failure.url}`,
        {
          code: "NOT_PHYCLOUD",
          status: failure.status,
          remediation: "Check --url or PHYCLOUD_URL: it must point at the PhyCloud service",
        },
      );
    case "status":
      return errorFromResponse(failure.status, failure.body, failure.requestId, failure.retryAfterSeconds);
  }
}

/** Parses a Retry-After header (seconds or an HTTP date) into seconds; `now` is the clock in ms. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
