/**
 * Authentication (401), rate limiting (429) and scope checks (403), in that order, written once: routes are
 * wrapped by `guard(scope)` and receive the resolved caller.
 */
import type { AuthedCall, Route } from "./call.ts";
import type { AppEnv } from "./env.ts";
import { hashSecret, SECRET_PREFIX } from "./ids.ts";
import { HttpProblem } from "./problem.ts";
import type { Principal } from "./store/types.ts";

const UNAUTHENTICATED_HEADERS = { "www-authenticate": 'Bearer realm="phycloud"' };

function unauthenticated(detail: string): HttpProblem {
  return new HttpProblem(401, "UNAUTHENTICATED", detail, UNAUTHENTICATED_HEADERS);
}

async function findCaller(
  env: AppEnv,
  kind: Principal["kind"],
  tokenHash: string,
): Promise<Principal | undefined> {
  if (kind === "session") return await env.store.findPrincipal(kind, tokenHash, env.now().toISOString());
  // A key revoked through another process sharing the database is seen on the very next request.
  env.keyCache.revalidate(await env.store.revocations());
  const cached = env.keyCache.get(tokenHash);
  if (cached) return cached;
  const generation = env.keyCache.generation;
  const principal = await env.store.findPrincipal(kind, tokenHash, env.now().toISOString());
  if (principal) env.keyCache.set(tokenHash, principal, generation);
  return principal;
}

/**
 * Counts a failed authentication from the caller's address, or answers 429 when the address has used up its
 * failures. Only a failing attempt is ever refused by this limit: a valid credential from the same address
 * (a shared NAT, a proxy without --trust-proxy) still works.
 */
export function authFailed(env: AppEnv, address: () => string): void {
  env.limits.checkAuthFailures(address);
  env.limits.recordAuthFailure(address);
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` and applies the request limits; a failing
 * credential from an address that failed too often gets 429 instead of 401 (see authFailed).
 */
export async function authenticate(
  request: Request,
  env: AppEnv,
  address: () => string,
): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header === null) throw unauthenticated("Missing credentials: send Authorization: Bearer <token>");
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  const token = match?.[1];
  if (token === undefined) {
    authFailed(env, address);
    throw unauthenticated("Malformed Authorization header: expected Bearer <token>");
  }
  const kind = token.startsWith(SECRET_PREFIX.apiKey)
    ? "api_key"
    : token.startsWith(SECRET_PREFIX.session)
    ? "session"
    : undefined;
  const principal = kind && token.length <= 200 ? await findCaller(env, kind, hashSecret(token)) : undefined;
  if (!principal) {
    authFailed(env, address);
    throw unauthenticated("Invalid, expired or revoked credentials");
  }
  env.limits.admitRequest(principal);
  return principal;
}

/**
 * Wraps routes that need a credential: authenticates, rate-limits, and checks `scope` when one is given
 * (403 "Insufficient scope" otherwise), before the route runs.
 */
export function guard(scope: string | undefined): (route: (call: AuthedCall) => Promise<Response>) => Route {
  return (route) => async (call) => {
    const principal = await authenticate(call.request, call.env, call.address);
    call.note.tenant = principal.tenantId;
    if (scope !== undefined && !principal.scopes.includes(scope)) throw insufficientScope();
    return await route({ ...call, principal });
  };
}

/** The 403 of a caller lacking a scope. */
export function insufficientScope(): HttpProblem {
  return new HttpProblem(403, "FORBIDDEN", "Insufficient scope");
}
