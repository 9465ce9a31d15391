/**
 * The contract of the PhyCloud users API: roles, statuses, scopes, problem codes and the shapes of the
 * bodies. The client (src/api) and the reference server (src/server) both import it; it imports nothing,
 * so neither side reaches into the other.
 */

/** Roles a user may hold. */
export const ROLES = ["admin", "member"] as const;
/** A user's role. */
export type Role = typeof ROLES[number];

/** How long a users search text (`?q=`) may be, in characters: no email is longer than 254. */
export const SEARCH_LENGTH = { min: 2, max: 254 } as const;

/** Lifecycle states of a user. */
export const STATUSES = ["pending", "active", "inactive"] as const;
/** A user's lifecycle state. */
export type UserStatus = typeof STATUSES[number];

/** Whether a value has the shape of a PhyCloud secret (phy_, phs_ or phi_, as API keys and tokens start). */
export function looksLikeSecret(value: string): boolean {
  return /^ph[ysi]_[0-9A-Za-z]/.test(value);
}

/** Whether a text holds a secret-shaped run anywhere (` phy_...`, `Bearer phy_...`), not only at its start. */
export function containsSecret(text: string): boolean {
  return /\bph[ysi]_[0-9A-Za-z]/.test(text);
}

/** Replaces every secret-shaped run in a text (such as a URL path) with its prefix and `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(/\b(ph[ysi]_)[0-9A-Za-z]+/g, "$1[redacted]");
}

/** The scope every users operation requires. */
export const ADMIN_USERS_SCOPE = "admin:users";

/** Problem codes the server puts in `code`. */
export const PROBLEM_CODES = [
  "VALIDATION_ERROR",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "INTERNAL",
  "UNAVAILABLE",
] as const;
/** A problem code. */
export type ProblemCode = typeof PROBLEM_CODES[number];

/** The four fields of the spec's OUTPUT table. */
export interface User {
  id: string;
  email: string;
  status: UserStatus;
  role: string;
}

/** A user with every detail the server returns. */
export interface UserDetails extends User {
  created_at: string;
  invited_by: string | null;
  activated_at: string | null;
  deactivated_at: string | null;
}

/** One page of `GET /v1/users`. */
export interface UserPage {
  data: UserDetails[];
  next_cursor: string | null;
}

/** Body of `POST /v1/users`. */
export interface InviteRequest {
  email: string;
  role: string;
}

/** An RFC 9457 problem body with PhyCloud's extension members. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode | string;
  request_id?: string;
}

/** A tenant. */
export interface Tenant {
  id: string;
  name: string;
  created_at: string;
}

/** Body of `POST /v1/invitations/accept`'s answer. */
export interface AcceptResponse {
  user: UserDetails;
  session: { token: string; expires_at: string };
}

/** States of an API key: usable, past its expiry, or revoked. */
export const API_KEY_STATUSES = ["active", "expired", "revoked"] as const;
/** An API key's state. */
export type ApiKeyStatus = typeof API_KEY_STATUSES[number];

/** An API key as `GET /v1/api-keys` lists it: never its secret. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  /** The user the key acts as. */
  user_id: string;
  status: ApiKeyStatus;
  created_at: string;
  expires_at: string | null;
  /** When it was last used, to within a minute; null: never. */
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Answer of `POST /v1/api-keys`; `key` is shown this once. */
export interface ApiKeyCreated extends ApiKey {
  key: string;
}

/** Body of `POST /v1/api-keys`. */
export interface ApiKeyRequest {
  name: string;
  scopes: string[];
  /** ISO 8601 time after which the key stops working; absent: never. */
  expires_at?: string;
}

/** One page of `GET /v1/api-keys`. */
export interface ApiKeyPage {
  data: ApiKey[];
  next_cursor: string | null;
}

/** What the audit log records. */
export const EVENT_ACTIONS = [
  "user.invited",
  "user.deactivated",
  "user.role_changed",
  "invitation.resent",
  "invitation.accepted",
  "api_key.created",
  "api_key.revoked",
  "tenant.created",
  "auth.failed",
] as const;
/** One audit action. */
export type EventAction = typeof EVENT_ACTIONS[number];

/** An audit event as `GET /v1/events` gives it. */
export interface AuditEvent {
  id: string;
  time: string;
  tenant_id: string;
  action: string;
  /** The acting user; null for the operator or an unknown caller. */
  actor_user_id: string | null;
  /** The credential the actor used (`key_...`, `ses_...`, `inv_...`); null when none. */
  actor_credential_id: string | null;
  /** The user, key or tenant acted on. */
  target: string | null;
  request_id: string | null;
  client_address: string | null;
  /** Occurrences the event stands for: failed authentications are counted per address and minute. */
  count: number;
  /** More facts (a key's name and scopes...); never a secret. */
  details: Record<string, unknown> | null;
}

/** One page of `GET /v1/events`, newest first. */
export interface EventPage {
  data: AuditEvent[];
  next_cursor: string | null;
}

/** The credential a request was made with, as `GET /v1/me` describes it (never its secret). */
export interface Credential {
  type: "api_key" | "session";
  id: string;
  /** The API key's name; null for a session. */
  name: string | null;
  scopes: string[];
}

/** Answer of `GET /v1/me`. */
export interface Me {
  user: UserDetails | null;
  tenant: Tenant;
  scopes: string[];
  credential: Credential;
}
