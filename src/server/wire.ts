/** Records to wire objects: the exact JSON members the API promises. */
import type { ApiKeyCreated, Tenant, UserDetails } from "../wire/mod.ts";
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
