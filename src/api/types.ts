/**
 * The client's parsers of the PhyCloud users API's answers: data arriving from the network enters as
 * `unknown` and passes one parser per type of the contract (src/wire), which this module re-exports so
 * client code has one place to import wire types from.
 */
import {
  API_KEY_STATUSES,
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyPage,
  type ApiKeyStatus,
  type AuditEvent,
  type EventPage,
  type Me,
  type Problem,
  STATUSES,
  type Tenant,
  type UserDetails,
  type UserPage,
  type UserStatus,
} from "../wire/mod.ts";

export {
  type AcceptResponse,
  ADMIN_USERS_SCOPE,
  API_KEY_STATUSES,
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyPage,
  type ApiKeyRequest,
  type ApiKeyStatus,
  type AuditEvent,
  type Credential,
  EVENT_ACTIONS,
  type EventAction,
  type EventPage,
  type InviteRequest,
  type Me,
  type Problem,
  PROBLEM_CODES,
  type ProblemCode,
  type Role,
  ROLES,
  STATUSES,
  type Tenant,
  type User,
  type UserDetails,
  type UserPage,
  type UserStatus,
} from "../wire/mod.ts";

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
