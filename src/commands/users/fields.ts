import type { UserDetails } from "../../api/types.ts";
import type { OutputRecord } from "../../output/mod.ts";

/** The spec's OUTPUT fields, in order: what list, invite and deactivate print. */
export const USER_FIELDS = ["id", "email", "status", "role"] as const;

/** What get prints: the spec's fields and the details the server returns. */
export const USER_DETAIL_FIELDS = [
  ...USER_FIELDS,
  "created_at",
  "invited_by",
  "activated_at",
  "deactivated_at",
] as const;

/** The spec's four fields of a user. */
export function userSummary(user: UserDetails): OutputRecord {
  return { id: user.id, email: user.email, status: user.status, role: user.role };
}

/** Every field of a user, in a fixed order. */
export function userDetails(user: UserDetails): OutputRecord {
  return {
    ...userSummary(user),
    created_at: user.created_at,
    invited_by: user.invited_by,
    activated_at: user.activated_at,
    deactivated_at: user.deactivated_at,
  };
}
