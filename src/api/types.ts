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

/** Answer of `POST /v1/api-keys`; `key` is shown this once. */
export interface ApiKeyCreated {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  key: string;
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
