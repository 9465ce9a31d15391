/**
 * Authentication (401), rate limiting (429) and scope checks (403), in that order, written once: routes are
 * wrapped by `guard(scope)` and receive the resolved caller.
 */
import type { AuthedCall, Route } from "./call.ts";
import type { AppEnv } from "./env.ts";
import { hashSecret, SECRET_PREFIX } from "./ids.ts";
import { HttpProblem } from "./problem.ts";
import type { EventContext, Principal } from "./store/types.ts";

const UNAUTHENTICATED_HEADERS = { "www-authenticate": 'Bearer realm="phycloud"' };

function unauthenticated(detail: string): HttpProblem {
  return new HttpProblem(401, "UNAUTHENTICATED", detail, UNAUTHENTICATED_HEADERS);
}

async function findCaller(
  env: AppEnv,
  kind: Principal["kind"],
  tokenHash: string,
  now: string,
): Promise<Principal | undefined> {
  if (kind === "session") return await env.store.findPrincipal(kind, tokenHash, now);
  // A key revoked through another process sharing the database is seen on the very next request.
  env.keyCache.revalidate(await env.store.revocations());
  const cached = env.keyCache.get(tokenHash);
  // A key that expired while cached is looked up again (and refused).
  const expiresAt = cached?.expiresAt ?? null;
  if (cached && (expiresAt === null || expiresAt > now)) return cached;
  const generation = env.keyCache.generation;
  const principal = await env.store.findPrincipal(kind, tokenHash, now);
  if (principal) env.keyCache.set(tokenHash, principal, generation);
  return principal;
}

// The refusal of a credential that resolved to no caller: an expired key says so; anything else is generic.
async function refusal(
  env: AppEnv,
  kind: Principal["kind"] | undefined,
  tokenHash: string | undefined,
  now: string,
): Promise<{ problem: HttpProblem; tenantId: string | null; credentialId: string | null }> {
  const refused = kind === "api_key" && tokenHash !== undefined
    ? await env.store.refusedApiKey(tokenHash, now)
    : undefined;
  const generic = unauthenticated("Invalid, expired or revoked credentials");
  if (!refused) return { problem: generic, tenantId: null, credentialId: null };
  const problem = refused.reason === "expired"
    ? unauthenticated(
      `API key expired at ${refused.expiresAt}: ask an admin for a new key (phyware api-keys create)`,
    )
    : generic;
  return { problem, tenantId: refused.tenantId, credentialId: refused.credentialId };
}

/**
 * Counts a failed authentication from the caller's address, or answers 429 when the address has used up its
 * failures. Only a failing attempt is ever refused by this limit: a valid credential from the same address
 * (a shared NAT, a proxy without --trust-proxy) still works. `refused` names the known credential (a
 * revoked or expired key) and its tenant, for the audit log.
 */
export async function authFailed(
  env: AppEnv,
  address: () => string,
  requestId: string,
  refused: { tenantId: string | null; credentialId: string | null } = { tenantId: null, credentialId: null },
): Promise<void> {
  // Counted for the audit log first (in memory, written in a batch), whether or not the limit answers 429.
  env.background.authFailed({ ...refused, clientAddress: address(), requestId });
  await env.limits.authFailed(address);
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` and applies the request limits; a failing
 * credential from an address that failed too often gets 429 instead of 401 (see authFailed).
 */
export async function authenticate(
  request: Request,
  env: AppEnv,
  address: () => string,
  requestId = "",
): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header === null) throw unauthenticated("Missing credentials: send Authorization: Bearer <token>");
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  const token = match?.[1];
  if (token === undefined) {
    await authFailed(env, address, requestId);
    throw unauthenticated("Malformed Authorization header: expected Bearer <token>");
  }
  const kind = token.startsWith(SECRET_PREFIX.apiKey)
    ? "api_key"
    : token.startsWith(SECRET_PREFIX.session)
    ? "session"
    : undefined;
  const now = env.now().toISOString();
  const hash = kind && token.length <= 200 ? hashSecret(token) : undefined;
  const principal = kind && hash ? await findCaller(env, kind, hash, now) : undefined;
  if (!principal) {
    const { problem, tenantId, credentialId } = await refusal(env, kind, hash, now);
    await authFailed(env, address, requestId, { tenantId, credentialId });
    throw problem;
  }
  await env.limits.admitRequest(principal);
  // Kept in memory and written in a batch, never on this request's way to the database.
  if (principal.kind === "api_key") env.background.keyUsed(principal.credentialId);
  return principal;
}

/**
 * Wraps routes that need a credential: authenticates, rate-limits, and checks `scope` when one is given
 * (403 "Insufficient scope" otherwise), before the route runs. Every answer to an authenticated caller, an
 * error too, carries the RateLimit header fields of its limits (with the invitation limits when `invites`).
 */
export function guard(
  scope: string | undefined,
  { invites = false }: { invites?: boolean } = {},
): (route: (call: AuthedCall) => Promise<Response>) => Route {
  return (route) => async (call) => {
    const principal = await authenticate(call.request, call.env, call.address, call.requestId);
    call.note.tenant = principal.tenantId;
    let response: Response;
    try {
      if (scope !== undefined && !principal.scopes.includes(scope)) throw insufficientScope();
      response = await route({ ...call, principal });
    } catch (error) {
      if (error instanceof HttpProblem) {
        for (const [name, value] of Object.entries(call.env.limits.headers(principal, invites))) {
          error.headers[name] = value;
        }
      }
      throw error;
    }
    for (const [name, value] of Object.entries(call.env.limits.headers(principal, invites))) {
      response.headers.set(name, value);
    }
    return response;
  };
}

/** The 403 of a caller lacking a scope. */
export function insufficientScope(): HttpProblem {
  return new HttpProblem(403, "FORBIDDEN", "Insufficient scope");
}

/** Who makes this call's writes, for their audit events. */
export function eventContext(call: AuthedCall): EventContext {
  return {
    actorUserId: call.principal.userId,
    actorCredentialId: call.principal.credentialId,
    requestId: call.requestId,
    clientAddress: call.address(),
  };
}
