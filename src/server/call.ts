/** What a route receives and what it is: the types every route and the router share. */
import type { AppEnv } from "./env.ts";
import type { Principal } from "./store/types.ts";

/** What the app learns about a request while routing it, for the log and the metrics. */
export interface RequestNote {
  /** The route table's path template that matched. */
  route: string | undefined;
  /** The authenticated caller's tenant. */
  tenant: string | undefined;
}

/** One request as a route sees it. */
export interface Call {
  request: Request;
  url: URL;
  env: AppEnv;
  /** The path parameter of routes that have one (a user id), else "". */
  param: string;
  /** The client's address, for per-address limits (see clientAddress); found on first call. */
  address: () => string;
  /** Filled in for the request log. */
  note: RequestNote;
  /** The request's id (its X-Request-Id), for the audit log. */
  requestId: string;
}

/** A call whose caller has been authenticated and holds the route's scope. */
export interface AuthedCall extends Call {
  principal: Principal;
}

/** A route handler. */
export type Route = (call: Call) => Promise<Response> | Response;
