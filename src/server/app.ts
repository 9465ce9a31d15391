/** The users service as a `Request -> Response` handler: routing, request ids, errors and the request log. */
import { ADMIN_USERS_SCOPE } from "../wire/mod.ts";
import type { Handler, RequestInfo } from "../context.ts";
import { guard } from "./auth.ts";
import type { Route } from "./call.ts";
import type { LogLine } from "./log_line.ts";
import type { AppEnv } from "./env.ts";
import { newId } from "./ids.ts";
import { ClientDisconnectedError } from "./body.ts";
import { clientAddress } from "./client_address.ts";
import { hostProblem } from "./host.ts";
import { HttpProblem, invalid, jsonResponse, problemResponse } from "./problem.ts";
import { acceptPage } from "./routes/accept_page.ts";
import { createApiKey } from "./routes/api_keys.ts";
import { acceptInvitation } from "./routes/invitations.ts";
import { resendInvitation } from "./routes/resend_invitation.ts";
import { getMe } from "./routes/me.ts";
import { DatabaseBusyError } from "./store/lock_wait.ts";
import { DatabaseFullError } from "./store/transaction.ts";
import { deactivateUser, getUser, inviteUser, listUsers } from "./routes/users.ts";

function methodNotAllowed(allowed: string): HttpProblem {
  return new HttpProblem(405, "VALIDATION_ERROR", `Method not allowed: use ${allowed}`, { allow: allowed });
}

// Another process holds the database's write lock: nothing was written, and a retry soon will likely work.
function databaseBusy(error: DatabaseBusyError): HttpProblem {
  return new HttpProblem(503, "UNAVAILABLE", "The database is busy: retry shortly", {
    "retry-after": String(error.retryAfterSeconds),
  });
}

/** The routes of one path: a handler per method (HEAD is served by GET). */
interface PathRoutes {
  path: string | RegExp;
  methods: Partial<Record<"GET" | "POST", Route>>;
}

// Authentication and scope are decided per group, here, not inside each handler.
const adminUsers = guard(ADMIN_USERS_SCOPE);
const anyCredential = guard(undefined);

const ROUTES: readonly PathRoutes[] = [
  { path: "/v1/users", methods: { GET: adminUsers(listUsers), POST: adminUsers(inviteUser) } },
  { path: "/v1/invitations/accept", methods: { POST: acceptInvitation } },
  { path: "/v1/api-keys", methods: { POST: anyCredential(createApiKey) } },
  { path: "/v1/me", methods: { GET: anyCredential(getMe) } },
  { path: "/accept", methods: { GET: acceptPage } },
  { path: "/healthz", methods: { GET: () => jsonResponse(200, { status: "ok" }) } },
  { path: /^\/v1\/users\/([^/]+)$/, methods: { GET: adminUsers(getUser) } },
  { path: /^\/v1\/users\/([^/]+)\/deactivate$/, methods: { POST: adminUsers(deactivateUser) } },
  { path: /^\/v1\/users\/([^/]+)\/invitation$/, methods: { POST: adminUsers(resendInvitation) } },
];

function route(request: Request, url: URL, env: AppEnv, address: () => string): Promise<Response> | Response {
  const method = request.method;
  const path = url.pathname;
  for (const { path: pattern, methods } of ROUTES) {
    let param = "";
    if (typeof pattern === "string") {
      if (pattern !== path) continue;
    } else {
      const match = pattern.exec(path);
      if (!match) continue;
      param = match[1] ?? "";
    }
    const handler = method === "GET" || method === "HEAD"
      ? methods.GET
      : method === "POST"
      ? methods.POST
      : undefined;
    if (!handler) throw methodNotAllowed(Object.keys(methods).join(", "));
    return handler({ request, url, env, param, address });
  }
  throw new HttpProblem(404, "NOT_FOUND", `No such endpoint: ${method} ${path}`);
}

/** Builds the handler; `log` gets one line per request: time, method, path (no query), status, ms, id. */
export function createApp(env: AppEnv, log: LogLine = () => {}): Handler {
  return async (request: Request, info?: RequestInfo): Promise<Response> => {
    const started = performance.now();
    const requestId = newId("req");
    let url: URL | undefined;
    let response: Response;
    let outcome: string | undefined;
    try {
      // Off the wire (a listener passes info) the URL's authority is the Host header, so check it; a
      // Request built in process carries its authority in its URL.
      const badHost = info === undefined ? undefined : hostProblem(request.headers.get("host"));
      if (badHost) throw badHost;
      url = new URL(request.url);
      let address: string | undefined;
      const addressOnce = () => (address ??= clientAddress(request, info, env.trustProxy));
      response = await route(request, url, env, addressOnce);
    } catch (error) {
      if (error instanceof ClientDisconnectedError) {
        // Nobody reads this response, and it is no server error: the log says "disconnected".
        outcome = "disconnected";
        response = problemResponse(
          invalid("The client disconnected before the request was complete"),
          requestId,
        );
      } else if (error instanceof HttpProblem) {
        response = problemResponse(error, requestId);
      } else if (error instanceof DatabaseBusyError) {
        response = problemResponse(databaseBusy(error), requestId);
      } else if (error instanceof DatabaseFullError) {
        // Said in the log as it is (the operator must free space) and to the client as a 507.
        log(`${env.now().toISOString()} error ${requestId}: ${error.message}`);
        response = problemResponse(new HttpProblem(507, "INTERNAL", error.message), requestId);
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
      `${env.now().toISOString()} ${request.method} ${url?.pathname ?? "-"} ${
        outcome ?? response.status
      } ${ms}ms ${requestId}`,
    );
    return response;
  };
}
