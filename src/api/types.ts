/**
 * Wire types of the PhyCloud users API, shared by the client and the reference server.
 * Data arriving from the network enters as `unknown` and passes one parser per type.
 */

/** Roles a user may hold. */
export const ROLES = ["admin", "member"] as const;
/** A user's role. */
export type Role = typeof ROLES[number];

/** Lifecycle states of a user. */
export const STATUSES = ["pending", "active", "inactive"] as const;
/** A user's lifecycle state. */
export type UserStatus = typeof STATUSES[number];

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

/** Thrown by the parsers when wire data does not have the expected shape. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(obj: Record<string, unknown>, key: string, what: string): string {
  const v = obj[key];
  if (typeof v !== "string") throw new WireFormatError(`Unexpected ${what}: "${key}" is not a string`);
  return v;
}

function nullableStr(obj: Record<string, unknown>, key: string, what: string): string | null {
  const v = obj[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") throw new WireFormatError(`Unexpected ${what}: "${key}" is not a string`);
  return v;
}

/** Checks that a value is a user with full details. */
export function parseUserDetails(value: unknown): UserDetails {
  if (!isRecord(value)) throw new WireFormatError("Unexpected user: not an object");
  const status = str(value, "status", "user");
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new WireFormatError(`Unexpected user: unknown status "${status}"`);
  }
  const id = str(value, "id", "user");
  // Ids end up in URLs and in `-o id` lines fed to xargs: one visible token, nothing else.
  if (!/^[\x21-\x7e]{1,255}$/.test(id)) throw new WireFormatError("Unexpected user: malformed id");
  return {
    id,
    email: str(value, "email", "user"),
    status: status as UserStatus,
    role: str(value, "role", "user"),
    created_at: str(value, "created_at", "user"),
    invited_by: nullableStr(value, "invited_by", "user"),
    activated_at: nullableStr(value, "activated_at", "user"),
    deactivated_at: nullableStr(value, "deactivated_at", "user"),
  };
}

/** Checks that a value is one page of users. */
export function parseUserPage(value: unknown): UserPage {
  if (!isRecord(value) || !Array.isArray(value.data)) {
    throw new WireFormatError("Unexpected user page: no data array");
  }
  const next = value.next_cursor;
  if (next !== null && typeof next !== "string") {
    throw new WireFormatError("Unexpected user page: next_cursor is neither a string nor null");
  }
  return { data: value.data.map(parseUserDetails), next_cursor: next };
}

function parseTenant(value: unknown): Tenant {
  if (!isRecord(value)) throw new WireFormatError("Unexpected tenant: not an object");
  return {
    id: str(value, "id", "tenant"),
    name: str(value, "name", "tenant"),
    created_at: str(value, "created_at", "tenant"),
  };
}

function stringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new WireFormatError(`Unexpected ${what}: not a list of strings`);
  }
  return value;
}

/** Checks that a value is the answer of `GET /v1/me`. */
export function parseMe(value: unknown): Me {
  if (!isRecord(value)) throw new WireFormatError("Unexpected /v1/me answer: not an object");
  const credential = value.credential;
  if (!isRecord(credential)) throw new WireFormatError('Unexpected /v1/me answer: no "credential"');
  const type = str(credential, "type", "credential");
  if (type !== "api_key" && type !== "session") {
    throw new WireFormatError(`Unexpected credential: unknown type "${type}"`);
  }
  return {
    user: value.user === null ? null : parseUserDetails(value.user),
    tenant: parseTenant(value.tenant),
    scopes: stringArray(value.scopes, "scopes"),
    credential: {
      type,
      id: str(credential, "id", "credential"),
      name: nullableStr(credential, "name", "credential"),
      scopes: stringArray(credential.scopes, "credential scopes"),
    },
  };
}

/** Reads a problem body; undefined when the value is not one. */
export function parseProblem(value: unknown): Problem | undefined {
  if (!isRecord(value)) return undefined;
  const { title, status, detail, code, request_id, type } = value;
  if (typeof status !== "number" || typeof code !== "string") return undefined;
  const problem: Problem = {
    title: typeof title === "string" ? title : "",
    status,
    detail: typeof detail === "string" ? detail : "",
    code,
  };
  if (typeof request_id === "string") problem.request_id = request_id;
  if (typeof type === "string") problem.type = type;
  return problem;
}

function nextCursor(value: Record<string, unknown>, what: string): string | null {
  const next = value.next_cursor;
  if (next !== null && typeof next !== "string") {
    throw new WireFormatError(`Unexpected ${what}: next_cursor is neither a string nor null`);
  }
  return next;
}

// Ids end up in URLs and in `-o id` lines fed to xargs: one visible token, nothing else.
function visibleId(value: Record<string, unknown>, what: string): string {
  const id = str(value, "id", what);
  if (!/^[\x21-\x7e]{1,255}$/.test(id)) throw new WireFormatError(`Unexpected ${what}: malformed id`);
  return id;
}

/** Checks that a value is an API key (without its secret). */
export function parseApiKey(value: unknown): ApiKey {
  if (!isRecord(value)) throw new WireFormatError("Unexpected API key: not an object");
  const status = str(value, "status", "API key");
  if (!(API_KEY_STATUSES as readonly string[]).includes(status)) {
    throw new WireFormatError(`Unexpected API key: unknown status "${status}"`);
  }
  return {
    id: visibleId(value, "API key"),
    name: str(value, "name", "API key"),
    scopes: stringArray(value.scopes, "API key scopes"),
    user_id: str(value, "user_id", "API key"),
    status: status as ApiKeyStatus,
    created_at: str(value, "created_at", "API key"),
    expires_at: nullableStr(value, "expires_at", "API key"),
    last_used_at: nullableStr(value, "last_used_at", "API key"),
    revoked_at: nullableStr(value, "revoked_at", "API key"),
  };
}

/** Checks that a value is a new API key with its secret. */
export function parseApiKeyCreated(value: unknown): ApiKeyCreated {
  const key = parseApiKey(value);
  if (!isRecord(value)) throw new WireFormatError("Unexpected API key: not an object");
  return { ...key, key: str(value, "key", "API key") };
}

/** Checks that a value is one page of API keys. */
export function parseApiKeyPage(value: unknown): ApiKeyPage {
  if (!isRecord(value) || !Array.isArray(value.data)) {
    throw new WireFormatError("Unexpected API key page: no data array");
  }
  return { data: value.data.map(parseApiKey), next_cursor: nextCursor(value, "API key page") };
}

/** Checks that a value is an audit event. */
export function parseAuditEvent(value: unknown): AuditEvent {
  if (!isRecord(value)) throw new WireFormatError("Unexpected event: not an object");
  const count = value.count;
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1) {
    throw new WireFormatError('Unexpected event: "count" is not a positive integer');
  }
  const details = value.details;
  if (details !== null && !isRecord(details)) {
    throw new WireFormatError('Unexpected event: "details" is neither an object nor null');
  }
  return {
    id: visibleId(value, "event"),
    time: str(value, "time", "event"),
    tenant_id: str(value, "tenant_id", "event"),
    action: str(value, "action", "event"),
    actor_user_id: nullableStr(value, "actor_user_id", "event"),
    actor_credential_id: nullableStr(value, "actor_credential_id", "event"),
    target: nullableStr(value, "target", "event"),
    request_id: nullableStr(value, "request_id", "event"),
    client_address: nullableStr(value, "client_address", "event"),
    count,
    details,
  };
}

/** Checks that a value is one page of audit events. */
export function parseEventPage(value: unknown): EventPage {
  if (!isRecord(value) || !Array.isArray(value.data)) {
    throw new WireFormatError("Unexpected event page: no data array");
  }
  return { data: value.data.map(parseAuditEvent), next_cursor: nextCursor(value, "event page") };
}
