/** The users service as a `Request -> Response` handler: routing, request ids, errors and the request log. */
import type { Handler, RequestInfo } from "../context.ts";
import { guard } from "./auth.ts";
import type { RequestNote, Route } from "./call.ts";
import type { LogLine } from "./log_line.ts";
import type { AppEnv } from "./env.ts";
import { newId } from "./ids.ts";
import { redactSecrets } from "../wire/mod.ts";
import { ClientDisconnectedError } from "./body.ts";
import { clientAddress } from "./client_address.ts";
import { hostProblem } from "./host.ts";
import { RateLimitedProblem } from "./limits.ts";
import { HttpProblem, invalid, problemResponse } from "./problem.ts";
import { ROUTES } from "./routes/table.ts";
import type { Endpoint, Method, PathEntry } from "./spec/endpoint.ts";
import { DatabaseBusyError } from "./store/lock_wait.ts";
import { DatabaseUnavailableError } from "./store/unavailable.ts";
import { DatabaseFullError } from "./store/transaction.ts";
import { DatabaseFileLostError } from "./store/file_identity.ts";

function methodNotAllowed(allowed: string): HttpProblem {
  return new HttpProblem(405, "VALIDATION_ERROR", `Method not allowed: use ${allowed}`, { allow: allowed });
}

// Another process holds the database's write lock, or the database server cannot be reached: nothing was
// written, and a retry soon will likely work.
function databaseBusy(error: DatabaseBusyError | DatabaseUnavailableError): HttpProblem {
  const message = error instanceof DatabaseBusyError
    ? "The database is busy: retry shortly"
    : "The database is unavailable: retry shortly";
  return new HttpProblem(503, "UNAVAILABLE", message, {
    "retry-after": String(error.retryAfterSeconds),
  });
}

/** A route of the table, compiled: its path's pattern and each method's guarded handler. */
interface CompiledPath {
  template: string;
  pattern: RegExp | undefined;
  handlers: ReadonlyMap<string, Route>;
  allow: string;
}

function compile(entry: PathEntry): CompiledPath {
  // A Map, not an object: a request's method is any token, "constructor" too.
  const handlers = new Map<string, Route>();
  for (const [method, endpoint] of Object.entries(entry.methods) as [Method, Endpoint][]) {
    // Authentication and scope are decided by the declaration, here, not inside each handler.
    handlers.set(
      method,
      endpoint.auth === "none"
        ? endpoint.run
        : guard(endpoint.auth === "credential" ? undefined : endpoint.auth, {
          invites: endpoint.invites === true,
        })(endpoint.run),
    );
  }
  const pattern = entry.path.includes("{")
    ? new RegExp(`^${entry.path.replace(/\{[^}]+\}/g, "([^/]+)")}$`)
    : undefined;
  return { template: entry.path, pattern, handlers, allow: Object.keys(entry.methods).join(", ") };
}

const PATHS: readonly CompiledPath[] = ROUTES.map(compile);

function route(
  request: Request,
  url: URL,
  env: AppEnv,
  address: () => string,
  note: RequestNote,
  requestId: string,
): Promise<Response> | Response {
  const method = request.method === "HEAD" ? "GET" : request.method;
  const path = url.pathname;
  for (const { template, pattern, handlers, allow } of PATHS) {
    let param = "";
    if (pattern === undefined) {
      if (template !== path) continue;
    } else {
      const match = pattern.exec(path);
      if (!match) continue;
      param = match[1] ?? "";
    }
    note.route = template;
    const handler = handlers.get(method);
    if (!handler) throw methodNotAllowed(allow);
    return handler({ request, url, env, param, address, note, requestId });
  }
  throw new HttpProblem(404, "NOT_FOUND", `No such endpoint: ${request.method} ${path}`);
}

/** A path as the log shows it: a secret pasted into it (even percent-encoded) is redacted, never logged. */
function loggedPath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: the path is logged as it came, redacted.
  }
  const redacted = redactSecrets(decoded);
  return redacted === decoded ? redactSecrets(path) : redacted;
}

/** How the request log is written: `text` (the default) or one JSON object a line. */
export type LogFormat = "text" | "json";

/** Builds the handler; `log` gets one line per request: time, method, path (no query), status, ms, id. */
export function createApp(env: AppEnv, log: LogLine = () => {}, format: LogFormat = "text"): Handler {
  const logError = (requestId: string, message: string) =>
    log(
      format === "json"
        ? JSON.stringify({ time: env.now().toISOString(), level: "error", request_id: requestId, message })
        : `${env.now().toISOString()} error ${requestId}: ${message}`,
    );
  return async (request: Request, info?: RequestInfo): Promise<Response> => {
    const started = performance.now();
    const requestId = newId("req");
    const note: RequestNote = { route: undefined, tenant: undefined };
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
      response = await route(request, url, env, addressOnce, note, requestId);
    } catch (error) {
      if (error instanceof ClientDisconnectedError) {
        // Nobody reads this response, and it is no server error: the log says "disconnected".
        outcome = "disconnected";
        response = problemResponse(
          invalid("The client disconnected before the request was complete"),
          requestId,
        );
      } else if (error instanceof HttpProblem) {
        if (error instanceof RateLimitedProblem) env.metrics?.rateLimited(error.limit);
        response = problemResponse(error, requestId);
      } else if (error instanceof DatabaseBusyError || error instanceof DatabaseUnavailableError) {
        env.metrics?.databaseError(error instanceof DatabaseBusyError ? "busy" : "unavailable");
        response = problemResponse(databaseBusy(error), requestId);
      } else if (error instanceof DatabaseFileLostError) {
        // The operator must act: said in the log (once a second at most, see mod.ts) and to the client.
        response = problemResponse(
          new HttpProblem(
            503,
            "UNAVAILABLE",
            "The database is unavailable: its file was deleted or replaced",
          ),
          requestId,
        );
        env.onStorageLost(error);
      } else if (error instanceof DatabaseFullError) {
        env.metrics?.databaseError("full");
        // Said in the log as it is (the operator must free space) and to the client as a 507.
        logError(requestId, error.message);
        response = problemResponse(new HttpProblem(507, "INTERNAL", error.message), requestId);
      } else {
        env.metrics?.databaseError("other");
        // Messages of unexpected errors come from the runtime or SQLite, never from a secret.
        logError(requestId, error instanceof Error ? error.message : String(error));
        response = problemResponse(new HttpProblem(500, "INTERNAL", "Internal server error"), requestId);
      }
    }
    response.headers.set("x-request-id", requestId);
    const elapsed = performance.now() - started;
    env.metrics?.observeRequest(request.method, note.route ?? "unmatched", response.status, elapsed / 1000);
    if (format === "json") {
      log(JSON.stringify({
        time: env.now().toISOString(),
        level: response.status >= 500 ? "error" : "info",
        method: request.method,
        route: note.route ?? null,
        path: url === undefined ? null : loggedPath(url.pathname),
        status: response.status,
        ...(outcome === undefined ? {} : { outcome }),
        ms: Math.round(elapsed * 10) / 10,
        request_id: requestId,
        tenant: note.tenant ?? null,
      }));
    } else {
      log(
        `${env.now().toISOString()} ${request.method} ${url === undefined ? "-" : loggedPath(url.pathname)} ${
          outcome ?? response.status
        } ${elapsed.toFixed(1)}ms ${requestId}`,
      );
    }
    return response;
  };
}
