/** RFC 9457 problem responses and the error routes throw to produce them. */
import type { ProblemCode } from "../wire/mod.ts";

/** The reason phrase of each status the service answers with. */
export const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  507: "Insufficient Storage",
};

/** Thrown by routes; the app turns it into an `application/problem+json` response. */
export class HttpProblem extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Problem code (`VALIDATION_ERROR`, `NOT_FOUND`...). */
  readonly code: ProblemCode;
  /** Extra response headers, such as Retry-After. */
  readonly headers: Record<string, string>;

  constructor(status: number, code: ProblemCode, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.name = "HttpProblem";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** A 400 VALIDATION_ERROR naming the bad input. */
export function invalid(detail: string): HttpProblem {
  return new HttpProblem(400, "VALIDATION_ERROR", detail);
}

/** Headers every API response carries. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** A JSON response with the API headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonTextResponse(status, JSON.stringify(body), headers);
}

/** A response whose JSON body is already serialized (replayed idempotent responses, pages of users). */
export function jsonTextResponse(
  status: number,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...API_HEADERS, ...headers },
  });
}

/** The problem+json response of an HttpProblem. */
export function problemResponse(problem: HttpProblem, requestId: string): Response {
  const body = {
    type: "about:blank",
    title: PROBLEM_TITLES[problem.status] ?? "Error",
    status: problem.status,
    detail: problem.message,
    code: problem.code,
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...API_HEADERS, ...problem.headers },
  });
}
