/** `POST /v1/users/{id}/invitation`: a new invitation for a pending user (beyond the spec). */
import type { AuthedCall } from "../call.ts";
import { replay } from "../idempotency.ts";
import { HttpProblem, jsonResponse } from "../problem.ts";
import { wireUser } from "../wire.ts";
import { INVITATION_TTL_MS, userAction, userNotFound } from "./users.ts";

/**
 * Revokes the user's open invitation (its token stops working) and queues a new email with a new token
 * and a new 7-day expiry, in one transaction; answers 200 with the user. 409 CONFLICT unless the user is
 * pending; counts against the invitation rate limit; honours `Idempotency-Key`.
 */
export async function resendInvitation(call: AuthedCall): Promise<Response> {
  const { param: id, env, principal } = call;
  env.limits.checkInvite(principal);
  const { stored, idem, hash, now } = await userAction(call, "invitation");
  if (stored) return stored;
  env.limits.chargeInvite(principal);
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
  const result = await env.store.resendInvitation(principal.tenantId, id, now.toISOString(), expiresAt, idem);
  switch (result.kind) {
    case "replay":
      return replay(result.response, hash);
    case "not_found":
      throw userNotFound();
    case "not_pending":
      throw new HttpProblem(
        409,
        "CONFLICT",
        `User is ${result.user.status}: only a pending user's invitation can be resent`,
      );
    case "done":
      env.wakeMailer();
      return jsonResponse(200, wireUser(result.user));
  }
}
