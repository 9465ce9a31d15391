/** Records to wire objects: the exact JSON members the API promises. */
import type { ApiKeyCreated, Tenant, UserDetails } from "../api/types.ts";
import type { ApiKeyRecord, TenantRecord, UserRecord } from "./store/types.ts";

/** A user as the API shows it: exactly the eight documented members. */
export function wireUser(user: UserRecord): UserDetails {
  return {
    id: user.id,
    email: user.email,
    status: user.status,
    role: user.role,
    created_at: user.createdAt,
    invited_by: user.invitedBy,
    activated_at: user.activatedAt,
    deactivated_at: user.deactivatedAt,
  };
}

/** A tenant as the API shows it. */
export function wireTenant(tenant: TenantRecord): Tenant {
  return { id: tenant.id, name: tenant.name, created_at: tenant.createdAt };
}

/** A new API key with its secret, shown this once. */
export function wireApiKey(key: ApiKeyRecord, secret: string): ApiKeyCreated {
  return { id: key.id, name: key.name, scopes: key.scopes, created_at: key.createdAt, key: secret };
}
