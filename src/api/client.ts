import { decide, type Failure, parseRetryAfter } from "./retry_policy.ts";
import { parseProblem } from "./types.ts";
import type { PhywareError } from "../errors.ts";

/**
 * Records asked for per page by every listing (users, keys, events). Measured (bench/RESULTS.md): pages of 1000
 * let peak RSS grow by 13-17 MiB from 10,000 to 100,000 users, as the runtime's collector trails ~180 KB bodies;
 * pages of 250 keep the growth to ~5 MiB and still list 100,000 users in about a fifth of a curl loop's time.
 */
export const PAGE_SIZE = 250;

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
  /** The clock: times the verbose log and reads Retry-After dates. */
  now: () => Date;
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
  /** Rewords a failure's remediation (to name where the URL or key came from); the error as is by default. */
  remediate?: ((error: PhywareError) => PhywareError) | undefined;
  /** Whether a 429 is retried by the client (default true); bulk commands pace and retry themselves. */
  retryRateLimited?: boolean;
}

/** One HTTP call. */
export interface RequestSpec {
  /** An HTTP method in upper case (`phyware api` sends any). */
  method: string;
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
  /** Accept a 2xx answer whose body is empty or not JSON (`phyware api`); its text is in `text`. */
  raw?: boolean;
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
  /** The parsed JSON body; undefined for an empty or non-JSON body (only with `raw`). */
  body: unknown;
  /** The body as received. */
  text: string;
  /** The Content-Type header, when there was one. */
  contentType: string | undefined;
  requestId: string | undefined;
}

/** What one attempt came to: a usable answer, or why not. */
export type Outcome = { ok: true; response: ApiResponse } | { ok: false; failure: Failure };

/** HTTP client of the PhyCloud API: timeouts, retries with backoff, problem+json to typed errors. */
export class ApiClient {
  readonly #o:
    & Required<Omit<ClientOptions, "log" | "notice" | "remediate" | "retryRateLimited">>
    & Pick<ClientOptions, "log" | "notice" | "remediate" | "retryRateLimited">;

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

  /**
   * Builds the full URL of a request. The query is encoded by hand: the first URLSearchParams costs Bun
   * 0.5-2.5 ms, a tenth of a whole `users get` (bench/RESULTS.md, "Client start-up").
   */
  url(spec: Pick<RequestSpec, "path" | "query">): string {
    const pairs: string[] = [];
    for (const [k, v] of Object.entries(spec.query ?? {})) {
      if (v !== undefined) pairs.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    }
    return `${this.#o.baseUrl}${spec.path}${pairs.length === 0 ? "" : `?${pairs.join("&")}`}`;
  }

  /** Sends a request, retrying as the retry policy decides, and returns the parsed JSON body of a 2xx answer. */
  async request(spec: RequestSpec): Promise<ApiResponse> {
    const o = this.#o;
    const settings = { ...o, maxRetries: spec.retry ? o.maxRetries : 0 };
    for (let attempt = 0;; attempt++) {
      const outcome = await this.#attempt(spec, attempt);
      if (outcome.ok) return outcome.response;
      const decision = decide(outcome.failure, attempt, settings);
      if (!decision.retry) throw o.remediate?.(decision.error) ?? decision.error;
      if (decision.notice !== undefined) await o.notice?.(decision.notice);
      await o.sleep(decision.waitMs);
    }
  }

  /** Sends the request once and says what came of it, without deciding anything. */
  async #attempt(spec: RequestSpec, attempt: number): Promise<Outcome> {
    const o = this.#o;
    const url = this.url(spec);
    const started = o.now().getTime();
    await o.log?.(`> ${spec.method} ${url}${attempt > 0 ? ` (retry ${attempt})` : ""}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), o.timeoutMs);
    let response: Response;
    let text: string;
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
        return { ok: false, failure: { kind: "timeout", url, timeoutMs: o.timeoutMs } };
      }
      const reason = describeNetworkError(error);
      await o.log?.(`< ${reason}`);
      return { ok: false, failure: { kind: "unreachable", baseUrl: o.baseUrl, reason } };
    } finally {
      clearTimeout(timer);
    }
    const { status } = response;
    const requestId = response.headers.get("x-request-id") ?? undefined;
    await o.log?.(
      `< ${status} ${response.statusText} in ${o.now().getTime() - started} ms` +
        (requestId ? ` (request id ${requestId})` : ""),
    );
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status >= 300 && status < 400) {
      return {
        ok: false,
        failure: { kind: "redirect", status, location: response.headers.get("location") ?? undefined },
      };
    }
    if (response.ok) {
      if (body === undefined && !spec.raw) {
        return { ok: false, failure: { kind: "not_json", baseUrl: o.baseUrl, status, requestId } };
      }
      const contentType = response.headers.get("content-type") ?? undefined;
      return { ok: true, response: { status, body, text, contentType, requestId } };
    }
    const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"), o.now().getTime());
    // PhyCloud answers every error with its problem+json; a bare 404, 405 or 501 comes from something else
    // at that URL (a static file server, another API), and "Not found" would mislead.
    if ((status === 404 || status === 405 || status === 501) && parseProblem(body) === undefined) {
      return {
        ok: false,
        failure: { kind: "not_phycloud", baseUrl: o.baseUrl, status, method: spec.method, url },
      };
    }
    return { ok: false, failure: { kind: "status", status, body, requestId, retryAfterSeconds } };
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
