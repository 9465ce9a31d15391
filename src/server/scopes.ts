/** Scopes the service knows, and those each role carries in a session. */
import { ADMIN_USERS_SCOPE, type Role } from "../wire/mod.ts";

/** Every scope a key may hold. */
export const KNOWN_SCOPES: readonly string[] = [ADMIN_USERS_SCOPE];

/** Scopes a session inherits from its user's role. */
export function scopesOfRole(role: Role): string[] {
  return role === "admin" ? [ADMIN_USERS_SCOPE] : [];
}
