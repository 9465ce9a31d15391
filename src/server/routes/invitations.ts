/** `POST /v1/invitations/accept`: redeems an invitation token for an active user and a session. */
import type { AcceptResponse } from "../../wire/mod.ts";
import { onlyFields, readJsonObject } from "../body.ts";
import { authFailed } from "../auth.ts";
import type { Call } from "../call.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../ids.ts";
import { HttpProblem, invalid, jsonResponse } from "../problem.ts";
import { acceptRequestSchema } from "../spec/schemas.ts";
import { wireUser } from "../wire.ts";

/** How long a session lasts. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** The one answer to every unknown, used, revoked, expired or malformed token. */
const BAD_TOKEN = "Invalid invitation token: it is unknown, expired, revoked or already used";

/** Accepts an invitation (no credential needed: the token is the credential). */
export async function acceptInvitation({ request, env, address, requestId }: Call): Promise<Response> {
  // The token is a credential: guessing it is failed authentication, limited per address like bad keys. A
  // body refused before the token is looked at (malformed, too deep, too large) is a failed attempt too, so
  // nobody sends them unauthenticated without limit.
  let token: unknown;
  try {
    const body = await readJsonObject(request);
    onlyFields(body, Object.keys(acceptRequestSchema.shape));
    if (body.token === undefined) throw invalid('Missing field "token"');
    token = body.token;
  } catch (error) {
    if (error instanceof HttpProblem && error.status < 500) await authFailed(env, address, requestId);
    throw error;
  }
  if (typeof token !== "string" || !token.startsWith(SECRET_PREFIX.invitation) || token.length > 200) {
    await authFailed(env, address, requestId);
    throw invalid(BAD_TOKEN);
  }
  const now = env.now();
  const session = newSecret(SECRET_PREFIX.session);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  const user = await env.store.acceptInvitation({
    tokenHash: hashSecret(token),
    now: now.toISOString(),
    sessionHash: hashSecret(session),
    sessionExpiresAt: expiresAt,
  }, { actorUserId: null, actorCredentialId: null, requestId, clientAddress: address() });
  if (!user) {
    await authFailed(env, address, requestId);
    throw invalid(BAD_TOKEN);
  }
  const answer: AcceptResponse = { user: wireUser(user), session: { token: session, expires_at: expiresAt } };
  return jsonResponse(200, answer);
}
