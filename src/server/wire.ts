/** Records to wire objects: the exact JSON members the API promises. */
import type { ApiKey, ApiKeyCreated, AuditEvent, Tenant, UserDetails } from "../wire/mod.ts";
import type { ApiKeyRecord, EventRecord, TenantRecord, UserRecord } from "./store/types.ts";

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

/** An API key as the API shows it, its status as of `now` (ISO time); never its secret or hash. */
export function wireApiKey(key: ApiKeyRecord, now: string): ApiKey {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    user_id: key.userId,
    status: key.revokedAt !== null
      ? "revoked"
      : key.expiresAt !== null && key.expiresAt <= now
      ? "expired"
      : "active",
    created_at: key.createdAt,
    expires_at: key.expiresAt,
    last_used_at: key.lastUsedAt,
    revoked_at: key.revokedAt,
  };
}

/** A new API key with its secret, shown this once. */
export function wireApiKeyCreated(key: ApiKeyRecord, now: string, secret: string): ApiKeyCreated {
  return { ...wireApiKey(key, now), key: secret };
}

// An event's details as stored (a JSON object's text, written by the store).
function detailsObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("Unexpected database value in events.details: not a JSON object");
  }
  return { ...value };
}

/** An audit event as the API shows it. */
export function wireEvent(event: EventRecord): AuditEvent {
  return {
    id: event.id,
    time: event.time,
    tenant_id: event.tenantId ?? "",
    action: event.action,
    actor_user_id: event.actorUserId,
    actor_credential_id: event.actorCredentialId,
    target: event.target,
    request_id: event.requestId,
    client_address: event.clientAddress,
    count: event.count,
    details: event.details === null ? null : detailsObject(event.details),
  };
}

const encoder = new TextEncoder();
const PAGE_HEAD = encoder.encode('{"data":[');

/**
 * The body of a page of users, `{"data":[...],"next_cursor":...}`, from each user's stored JSON bytes: one
 * buffer, without decoding or encoding the users (see listUsersSql).
 */
export function userPageBody(
  users: readonly Uint8Array[],
  nextCursor: string | null,
): Uint8Array<ArrayBuffer> {
  const tail = encoder.encode(`],"next_cursor":${JSON.stringify(nextCursor)}}`);
  let size = PAGE_HEAD.length + Math.max(0, users.length - 1) + tail.length;
  for (const user of users) size += user.length;
  const body = new Uint8Array(size);
  body.set(PAGE_HEAD, 0);
  let at = PAGE_HEAD.length;
  users.forEach((user, i) => {
    if (i > 0) body[at++] = 0x2c; // ","
    body.set(user, at);
    at += user.length;
  });
  body.set(tail, at);
  return body;
}
