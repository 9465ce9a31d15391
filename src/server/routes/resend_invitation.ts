/** `POST /v1/users/{id}/invitation`: a new invitation for a pending user (beyond the spec). */
import { eventContext } from "../auth.ts";
import type { AuthedCall } from "../call.ts";
import { replay } from "../idempotency.ts";
import { HttpProblem, jsonResponse } from "../problem.ts";
import { wireUser } from "../wire.ts";
import { INVITATION_TTL_MS, userAction, userNotFound } from "./users.ts";

/**
 * Revokes the user's open invitation (its token stops working) and queues a new email with a new token
 * and a new 7-day expiry, in one transaction; answers 200 with the user. 409 CONFLICT unless the user is
 * pending; counts against the invitation rate limit; honours `Idempotency-Key`. One email per user per
 * `--resend-cooldown` (invitation included): a resend sooner is a 429 with Retry-After, charging nothing.
 */
export async function resendInvitation(call: AuthedCall): Promise<Response> {
  const { param: id, env, principal } = call;
  await env.limits.checkInvite(principal);
  const { stored, idem, hash, now } = await userAction(call, "invitation");
  if (stored) return stored;
  await env.limits.chargeInvite(principal);
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
  const cooldownSince = new Date(now.getTime() - env.resendCooldownMs).toISOString();
  const result = await env.store.resendInvitation(
    principal.tenantId,
    id,
    now.toISOString(),
    expiresAt,
    cooldownSince,
    idem,
    eventContext(call),
  );
  switch (result.kind) {
    case "cooldown": {
      // Refused by the cooldown, so the invitation budget is not charged for it.
      await env.limits.refundInvite(principal);
      const seconds = Math.max(
        1,
        Math.ceil((Date.parse(result.lastInvitedAt) + env.resendCooldownMs - now.getTime()) / 1000),
      );
      // The wait itself is in Retry-After (clients say it): the detail says why.
      const cooldown = env.resendCooldownMs / 1000;
      throw new HttpProblem(
        429,
        "RATE_LIMITED",
        `An invitation email went to this user less than ${cooldown} s ago: one is sent per user per ${cooldown} s`,
        { "retry-after": String(seconds) },
      );
    }
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
