import { ConnectionError } from "../errors.ts";
import { errorFromResponse } from "./http_errors.ts";

/** How the client talks to the service. */
export interface ClientOptions {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** API key sent as a bearer token; never printed. */
  apiKey: string;
  /** The fetch to use (the platform's, or a test's). */
  fetch: typeof fetch;
  /** Waits between retries. */
  sleep: (ms: number) => Promise<void>;
  /** Time limit of one attempt, in milliseconds. */
  timeoutMs: number;
  /** Sent as User-Agent. */
  userAgent: string;
  /** Retries after the first attempt, for retryable requests. */
  maxRetries?: number;
  /** First backoff delay in milliseconds; doubles each retry. */
  backoffMs?: number;
  /** Longest Retry-After the client will wait for, in seconds; longer gives up at once. */
  maxRetryAfterSeconds?: number;
  /** Where to tell a person about waits (rate limits); undefined when nobody is watching. */
  notice?: ((line: string) => Promise<void>) | undefined;
  /** Verbose log sink (one line per call); undefined when not verbose. */
  log?: ((line: string) => Promise<void>) | undefined;
  /** Random source for jitter. */
  random?: () => number;
}

/** One HTTP call. */
export interface RequestSpec {
  method: "GET" | "POST";
  /** Path below the base URL, starting with "/". */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | undefined>;
  /** JSON body. */
  body?: unknown;
  /** Sent as Idempotency-Key, the same on every retry. */
  idempotencyKey?: string;
  /** Whether the call may be retried on connection errors, 429 and 502/503/504. */
  retry: boolean;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Parses a Retry-After header (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === "string") parts.push(e.code);
    if (typeof e.message === "string") parts.push(e.message);
    current = e.cause;
  }
  const text = parts.join(" ").toLowerCase();
  if (text.includes("refused")) return "connection refused";
  if (text.includes("blocked")) return "the port is blocked by fetch";
  if (text.includes("reset") || text.includes("closed") || text.includes("socket hang up")) {
    return "connection closed by the server";
  }
  if (text.includes("dns") || text.includes("getaddrinfo") || text.includes("name resolution")) {
    return "host name not found";
  }
  if (text.includes("certificate") || text.includes("tls") || text.includes("ssl")) return "TLS error";
  return "network error";
}

/** Result of a successful call. */
export interface ApiResponse {
  status: number;
  body: unknown;
  requestId: string | undefined;
}

/** HTTP client of the PhyCloud API: timeouts, retries with backoff, problem+json to typed errors. */
export class ApiClient {
  readonly #o: Required<Omit<ClientOptions, "log" | "notice">> & Pick<ClientOptions, "log" | "notice">;

  constructor(options: ClientOptions) {
    this.#o = {
      notice: undefined,
      maxRetries: 3,
      backoffMs: 250,
      maxRetryAfterSeconds: 60,
      random: Math.random,
      ...options,
    };
  }

  /** The base URL requests go to. */
  get baseUrl(): string {
    return this.#o.baseUrl;
  }

  /** Builds the full URL of a request. */
  url(spec: Pick<RequestSpec, "path" | "query">): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    return `${this.#o.baseUrl}${spec.path}${qs === "" ? "" : `?${qs}`}`;
  }

  /** Sends a request, retrying when allowed, and returns the parsed JSON body of a 2xx answer. */
  async request(spec: RequestSpec): Promise<ApiResponse> {
    const url = this.url(spec);
    const o = this.#o;
    for (let attempt = 0;; attempt++) {
      const canRetry = spec.retry && attempt < o.maxRetries;
      const backoff = Math.min(8000, o.backoffMs * 2 ** attempt) * (0.5 + o.random() / 2);
      let response: Response;
      let body: unknown;
      let text: string;
      const started = Date.now();
      await o.log?.(`> ${spec.method} ${url}${attempt > 0 ? ` (retry ${attempt})` : ""}`);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), o.timeoutMs);
      try {
        response = await o.fetch(url, {
          method: spec.method,
          headers: this.#headers(spec),
          signal: controller.signal,
          // A redirect would re-send the body elsewhere; say where the service moved instead.
          redirect: "manual",
          ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        });
        text = await response.text();
      } catch (error) {
        if (controller.signal.aborted) {
          await o.log?.(`< timed out after ${o.timeoutMs} ms`);
          throw new ConnectionError(`Request to ${url} timed out after ${o.timeoutMs / 1000}s`, {
            code: "TIMEOUT",
            remediation: "Check the server, or allow more time with --timeout",
          });
        }
        const reason = describeNetworkError(error);
        await o.log?.(`< ${reason}`);
        if (canRetry) {
          await o.sleep(backoff);
          continue;
        }
        throw new ConnectionError(`Cannot reach ${o.baseUrl}: ${reason}`, {
          code: "CONNECTION_ERROR",
          remediation: "Check --url or PHYCLOUD_URL and that the server is running",
        });
      } finally {
        clearTimeout(timer);
      }
      const requestId = response.headers.get("x-request-id") ?? undefined;
      await o.log?.(
        `< ${response.status} ${response.statusText} in ${Date.now() - started} ms` +
          (requestId ? ` (request id ${requestId})` : ""),
      );
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get("location") ?? "another address";
        throw new ConnectionError(`The server redirected the request to ${location}`, {
          code: "REDIRECT",
          status: response.status,
          remediation: "Point --url or PHYCLOUD_URL at the service itself",
        });
      }
      if (response.ok) {
        if (body === undefined) {
          throw new ConnectionError(`Unexpected response from ${o.baseUrl}: the body is not JSON`, {
            status: response.status,
            ...(requestId ? { requestId } : {}),
          });
        }
        return { status: response.status, body, requestId };
      }
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"), Date.now());
      if (canRetry && RETRYABLE_STATUS.has(response.status)) {
        if (retryAfter === undefined) {
          await o.sleep(backoff);
          continue;
        }
        // Waits longer than --timeout (or a minute) fail at once, saying when to come back.
        if (retryAfter <= o.maxRetryAfterSeconds && retryAfter * 1000 <= o.timeoutMs) {
          await o.notice?.(`Rate limited by the server; retrying in ${retryAfter} s`);
          await o.sleep(Math.max(retryAfter * 1000, 1));
          continue;
        }
      }
      throw errorFromResponse(response.status, body, requestId, retryAfter);
    }
  }

  #headers(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = {
      "accept": "application/json",
      "authorization": `Bearer ${this.#o.apiKey}`,
      "user-agent": this.#o.userAgent,
    };
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    if (spec.idempotencyKey !== undefined) headers["idempotency-key"] = spec.idempotencyKey;
    return headers;
  }
}
