/** `POST /v1/invitations/accept`: redeems an invitation token for an active user and a session. */
import type { AcceptResponse } from "../../wire/mod.ts";
import { onlyFields, readJsonObject } from "../body.ts";
import type { Call } from "../call.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../ids.ts";
import { invalid, jsonResponse } from "../problem.ts";
import { wireUser } from "../wire.ts";

/** How long a session lasts. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** The one answer to every unknown, used, revoked, expired or malformed token. */
const BAD_TOKEN = "Invalid invitation token: it is unknown, expired, revoked or already used";

/** Accepts an invitation (no credential needed: the token is the credential). */
export async function acceptInvitation({ request, env, address }: Call): Promise<Response> {
  // The token is a credential: guessing it is failed authentication, limited per address like bad keys.
  env.limits.checkAuthFailures(address);
  const body = await readJsonObject(request);
  onlyFields(body, ["token"]);
  if (body.token === undefined) throw invalid('Missing field "token"');
  const token = body.token;
  if (typeof token !== "string" || !token.startsWith(SECRET_PREFIX.invitation) || token.length > 200) {
    env.limits.recordAuthFailure(address);
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
  });
  if (!user) {
    env.limits.recordAuthFailure(address);
    throw invalid(BAD_TOKEN);
  }
  const answer: AcceptResponse = { user: wireUser(user), session: { token: session, expires_at: expiresAt } };
  return jsonResponse(200, answer);
}
