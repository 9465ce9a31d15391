/** Authentication (401), rate limiting (429) and scope checks (403), in that order. */
import { hashSecret, SECRET_PREFIX } from "./ids.ts";
import type { AppEnv } from "./env.ts";
import { HttpProblem } from "./problem.ts";
import type { Principal } from "./store/types.ts";

const UNAUTHENTICATED_HEADERS = { "www-authenticate": 'Bearer realm="phycloud"' };

function unauthenticated(detail: string): HttpProblem {
  return new HttpProblem(401, "UNAUTHENTICATED", detail, UNAUTHENTICATED_HEADERS);
}

/** Resolves the caller from `Authorization: Bearer <token>` and applies the request rate limit. */
export async function authenticate(request: Request, env: AppEnv): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header === null) throw unauthenticated("Missing credentials: send Authorization: Bearer <token>");
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  if (!match) throw unauthenticated("Malformed Authorization header: expected Bearer <token>");
  const token = match[1] as string;
  const kind = token.startsWith(SECRET_PREFIX.apiKey)
    ? "api_key"
    : token.startsWith(SECRET_PREFIX.session)
    ? "session"
    : undefined;
  const principal = kind && token.length <= 200
    ? await env.store.findPrincipal(kind, hashSecret(token), env.now().toISOString())
    : undefined;
  if (!principal) throw unauthenticated("Invalid, expired or revoked credentials");
  const wait = env.requestLimiter.take(principal.credentialId);
  if (wait > 0) throw rateLimited(wait);
  return principal;
}

/** A 429 asking to come back in `seconds`. */
export function rateLimited(seconds: number): HttpProblem {
  return new HttpProblem(429, "RATE_LIMITED", `Rate limit exceeded: retry in ${seconds} s`, {
    "retry-after": String(seconds),
  });
}

/** Throws 403 "Insufficient scope" unless the caller holds `scope`. */
export function requireScope(principal: Principal, scope: string): void {
  if (!principal.scopes.includes(scope)) throw new HttpProblem(403, "FORBIDDEN", "Insufficient scope");
}
