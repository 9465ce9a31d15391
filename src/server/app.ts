/** The users service as a `Request -> Response` handler: routing, request ids, errors and the request log. */
import type { Handler } from "../context.ts";
import type { AppEnv } from "./env.ts";
import { newId } from "./ids.ts";
import { HttpProblem, jsonResponse, problemResponse } from "./problem.ts";
import { acceptPage } from "./routes/accept_page.ts";
import { createApiKey } from "./routes/api_keys.ts";
import { acceptInvitation } from "./routes/invitations.ts";
import { getMe } from "./routes/me.ts";
import { deactivateUser, getUser, inviteUser, listUsers } from "./routes/users.ts";

/** Receives one line per request (and per unexpected error); never given a secret. */
export type LogLine = (line: string) => void;

function methodNotAllowed(allowed: string): HttpProblem {
  return new HttpProblem(405, "VALIDATION_ERROR", `Method not allowed: use ${allowed}`, { allow: allowed });
}

function only(
  method: string,
  allowed: string,
  run: () => Promise<Response> | Response,
): Promise<Response> | Response {
  if (method === allowed || (allowed === "GET" && method === "HEAD")) return run();
  throw methodNotAllowed(allowed);
}

const USER_PATH = /^\/v1\/users\/([^/]+)$/;
const DEACTIVATE_PATH = /^\/v1\/users\/([^/]+)\/deactivate$/;

function route(request: Request, url: URL, env: AppEnv): Promise<Response> | Response {
  const method = request.method;
  const path = url.pathname;
  switch (path) {
    case "/v1/users":
      if (method === "GET" || method === "HEAD") return listUsers(request, url, env);
      if (method === "POST") return inviteUser(request, env);
      throw methodNotAllowed("GET, POST");
    case "/v1/invitations/accept":
      return only(method, "POST", () => acceptInvitation(request, env));
    case "/v1/api-keys":
      return only(method, "POST", () => createApiKey(request, env));
    case "/v1/me":
      return only(method, "GET", () => getMe(request, env));
    case "/accept":
      return only(method, "GET", acceptPage);
    case "/healthz":
      return only(method, "GET", () => jsonResponse(200, { status: "ok" }));
  }
  const user = USER_PATH.exec(path);
  if (user) return only(method, "GET", () => getUser(request, user[1] as string, env));
  const deactivate = DEACTIVATE_PATH.exec(path);
  if (deactivate) {
    return only(method, "POST", () => deactivateUser(request, deactivate[1] as string, env));
  }
  throw new HttpProblem(404, "NOT_FOUND", `No such endpoint: ${method} ${path}`);
}

/** Builds the handler; `log` gets one line per request: time, method, path (no query), status, ms, id. */
export function createApp(env: AppEnv, log: LogLine = () => {}): Handler {
  return async (request: Request): Promise<Response> => {
    const started = performance.now();
    const requestId = newId("req");
    let url: URL | undefined;
    let response: Response;
    try {
      url = new URL(request.url);
      response = await route(request, url, env);
    } catch (error) {
      if (error instanceof HttpProblem) {
        response = problemResponse(error, requestId);
      } else {
        // Messages of unexpected errors come from the runtime or SQLite, never from a secret.
        log(
          `${env.now().toISOString()} error ${requestId}: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
        response = problemResponse(new HttpProblem(500, "INTERNAL", "Internal server error"), requestId);
      }
    }
    response.headers.set("x-request-id", requestId);
    const ms = (performance.now() - started).toFixed(1);
    log(
      `${env.now().toISOString()} ${request.method} ${
        url?.pathname ?? "-"
      } ${response.status} ${ms}ms ${requestId}`,
    );
    return response;
  };
}
