/** `/v1/users`: invite, list, find, get, change the role of and deactivate users of the caller's tenant. */
import { z } from "zod";
import { type Role, ROLES, SEARCH_LENGTH, STATUSES, type UserStatus } from "../../wire/mod.ts";
import { eventContext } from "../auth.ts";
import type { AuthedCall } from "../call.ts";
import { discardBody, onlyFields, readJsonObject } from "../body.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { emailKey } from "../../email/key.ts";
import { parseEmail } from "../email.ts";
import { isUserId } from "../ids.ts";
import { idempotencyKey, idempotencyWrite, replay, requestHash, storedReply } from "../idempotency.ts";
import { HttpProblem, invalid, jsonResponse, jsonTextResponse } from "../problem.ts";
import { DEFAULT_LIMIT, MAX_LIMIT, parseLimit, singleParam } from "../query_params.ts";
import { EmailTakenError, type IdempotencyWrite, type UserPageRows } from "../store/types.ts";
import type { Parameter } from "../spec/endpoint.ts";
import { inviteRequestSchema, setRoleRequestSchema } from "../spec/schemas.ts";
import { userPageBody, wireUser } from "../wire.ts";

/** How long an invitation token stays valid. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Default and largest page size of `GET /v1/users` (every listing's; see query_params.ts). */
export { DEFAULT_LIMIT, MAX_LIMIT } from "../query_params.ts";

/** The 404 of a user id that is unknown, malformed or another tenant's. */
export const userNotFound = (): HttpProblem => new HttpProblem(404, "NOT_FOUND", "User not found");

function parseRole(value: unknown): Role {
  if (value === undefined) return "member";
  if (typeof value !== "string" || !(ROLES as readonly string[]).includes(value)) {
    throw invalid(
      `Invalid "role" ${JSON.stringify(value)}: expected one of ${ROLES.map((r) => `"${r}"`).join(", ")}`,
    );
  }
  return value as Role;
}

/** `POST /v1/users` {"email","role"}: creates a pending user and queues its invitation email, in one commit. */
export async function inviteUser(call: AuthedCall): Promise<Response> {
  const { request, env, principal } = call;
  const key = idempotencyKey(request);
  const body = await readJsonObject(request);
  onlyFields(body, Object.keys(inviteRequestSchema.shape));
  const email = parseEmail(body.email);
  const role = parseRole(body.role);
  const hash = requestHash("POST", "/v1/users", { email, role });
  const now = env.now();
  const idem = idempotencyWrite(key, principal, hash, 201, now, (user) => JSON.stringify(wireUser(user)));
  const stored = await storedReply(env.store, idem);
  if (stored) return stored;
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
  let result;
  try {
    result = await env.store.inviteUser(
      {
        tenantId: principal.tenantId,
        email,
        role,
        invitedBy: principal.userId,
        now: now.toISOString(),
        expiresAt,
        // Only a valid request, not a replay, for an address that is free, uses up invitation budget.
        admit: () => env.limits.chargeInvite(principal),
        unadmit: () => env.limits.refundInvite(principal),
      },
      idem,
      eventContext(call),
    );
  } catch (error) {
    if (error instanceof EmailTakenError) throw new HttpProblem(409, "CONFLICT", "Email already exists");
    throw error;
  }
  if (result.kind === "replay") return replay(result.response, hash);
  // The email was queued in the user's transaction; this only spares the sender its next poll.
  env.wakeMailer();
  return jsonResponse(201, wireUser(result.user), { location: `/v1/users/${result.user.id}` });
}

function parseEnum<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(
      `Invalid "${name}" ${JSON.stringify(value)}: expected one of ${
        allowed.map((a) => `"${a}"`).join(", ")
      }`,
    );
  }
  return value as T;
}

/** Shortest `q` accepted: one character would match most of a tenant. */
export const MIN_SEARCH = SEARCH_LENGTH.min;
// No email is longer (src/email), so no longer text can be contained in one.
const MAX_SEARCH = SEARCH_LENGTH.max;

/** The folded form `?q=` is compared in (see UserQuery.contains): NFKC, then lower case, as `emailKey`. */
export function searchKey(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

function parseSearch(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const length = [...value].length;
  if (length < MIN_SEARCH || length > MAX_SEARCH || !value.isWellFormed()) {
    throw invalid(
      `Invalid "q" ${JSON.stringify(value.slice(0, 80))}: expected ${MIN_SEARCH} to ${MAX_SEARCH} characters`,
    );
  }
  return searchKey(value);
}

// One mailbox by the email rule: the address is checked and normalised (NFC), then keyed (case, A-label).
function parseEmailParam(value: string | undefined): string | undefined {
  return value === undefined ? undefined : emailKey(parseEmail(value));
}
/** The query parameters of `GET /v1/users`, as the route table declares them. */
export const LIST_QUERY: Readonly<Record<string, Parameter>> = {
  limit: {
    description: `Page size, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`,
    schema: z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    example: 50,
  },
  cursor: { description: "The `next_cursor` of the previous page (same filters)", schema: z.string() },
  status: { description: "Only users in this state", schema: z.enum(STATUSES), example: "active" },
  role: { description: "Only users with this role", schema: z.enum(ROLES), example: "admin" },
  email: {
    description: "Only the users of this mailbox, inactive records included: the address is matched by the " +
      "email rule (any case, Unicode NFC, the domain's A-label), through an index",
    schema: z.string(),
    example: "ada@example.com",
  },
  q: {
    description: "Only users whose email contains this text, in any case (2 to 254 characters); a text of " +
      "3 ASCII characters or more is found through a trigram index",
    schema: z.string().min(2).max(254),
    example: "example.com",
  },
};
const LIST_PARAMS = Object.keys(LIST_QUERY);

// The body of each page the store keeps, built once (see listUsers).
const pageBodies = new WeakMap<UserPageRows, Uint8Array<ArrayBuffer>>();

/**
 * `GET /v1/users?limit=&cursor=&status=&role=&email=&q=`: one page in creation order, keyset-paginated;
 * `email` finds one mailbox (its inactive records too), `q` the users whose email contains the text.
 */
export async function listUsers({ url, env, principal }: AuthedCall): Promise<Response> {
  const params = url.searchParams;
  for (const name of params.keys()) {
    if (!LIST_PARAMS.includes(name)) {
      throw invalid(
        `Unknown query parameter ${JSON.stringify(name)}: expected limit, cursor, status, role, email or q`,
      );
    }
  }
  const limit = parseLimit(singleParam(params, "limit"));
  const status = parseEnum<UserStatus>("status", singleParam(params, "status"), STATUSES);
  const role = parseEnum<Role>("role", singleParam(params, "role"), ROLES);
  const key = parseEmailParam(singleParam(params, "email"));
  const contains = parseSearch(singleParam(params, "q"));
  const scope = { tenantId: principal.tenantId, status, role, emailKey: key, contains };
  const cursor = singleParam(params, "cursor");
  const afterSeq = cursor === undefined ? 0 : decodeCursor(env.cursorSecret, scope, cursor);
  const page = await env.store.listUsers({
    tenantId: principal.tenantId,
    status,
    role,
    emailKey: key,
    contains,
    afterSeq,
    limit,
  });
  // The users are stored as their API JSON (migration 3): the page is their concatenation. A page the store
  // kept (the same object until the next write) is sent as the bytes built the first time, cursor included.
  let body = pageBodies.get(page);
  if (body === undefined) {
    body = userPageBody(page.json, page.more ? encodeCursor(env.cursorSecret, scope, page.lastSeq) : null);
    pageBodies.set(page, body);
  }
  return jsonTextResponse(200, body);
}

/** `GET /v1/users/{id}`: full details; another tenant's user is an ordinary 404. */
export async function getUser({ param: id, env, principal }: AuthedCall): Promise<Response> {
  const user = isUserId(id) ? await env.store.getUser(principal.tenantId, id) : undefined;
  if (!user) throw userNotFound();
  return jsonResponse(200, wireUser(user));
}

/** What `userAction` found: the stored reply of a repeated request, or what the write needs. */
export interface UserAction {
  stored: Response | undefined;
  idem: IdempotencyWrite | undefined;
  hash: string;
  now: Date;
}

/**
 * The start of a bodiless POST on one user (`action` is the path's last segment): reads the
 * Idempotency-Key, drops the body, 404s a malformed id, and finds the stored reply of a repeated request.
 */
export async function userAction(
  { request, param: id, env, principal }: AuthedCall,
  action: string,
): Promise<UserAction> {
  const key = idempotencyKey(request);
  await discardBody(request);
  if (!isUserId(id)) throw userNotFound();
  const hash = requestHash("POST", `/v1/users/${id}/${action}`, null);
  const now = env.now();
  const idem = idempotencyWrite(key, principal, hash, 200, now, (user) => JSON.stringify(wireUser(user)));
  return { stored: await storedReply(env.store, idem), idem, hash, now };
}

/** `POST /v1/users/{id}/deactivate`: idempotent; revokes the user's sessions, keys and invitations. */
export async function deactivateUser(call: AuthedCall): Promise<Response> {
  const { param: id, env, principal } = call;
  const { stored, idem, hash, now } = await userAction(call, "deactivate");
  if (stored) return stored;
  const result = await env.store.deactivateUser(
    principal.tenantId,
    id,
    now.toISOString(),
    idem,
    eventContext(call),
  );
  // After the commit, and whatever the outcome: a lookup that began before it must not cache a revoked key.
  env.keyCache.forget();
  switch (result.kind) {
    case "replay":
      return replay(result.response, hash);
    case "not_found":
      throw userNotFound();
    case "last_admin":
      throw new HttpProblem(
        409,
        "CONFLICT",
        "Cannot deactivate the last active admin of the tenant: make another user an active admin first",
      );
    case "done":
      return jsonResponse(200, wireUser(result.user));
  }
}

/**
 * `PATCH /v1/users/{id}` {"role"}: gives the user another role; the same role again changes nothing and
 * succeeds. The tenant's last active admin keeps the role, and an inactive user keeps hers (409 CONFLICT).
 */
export async function updateUser(call: AuthedCall): Promise<Response> {
  const { request, param: id, env, principal } = call;
  const key = idempotencyKey(request);
  const body = await readJsonObject(request);
  onlyFields(body, Object.keys(setRoleRequestSchema.shape));
  if (body.role === undefined) throw invalid('Missing field "role"');
  const role = parseRole(body.role);
  if (!isUserId(id)) throw userNotFound();
  const hash = requestHash("PATCH", `/v1/users/${id}`, { role });
  const now = env.now();
  const idem = idempotencyWrite(key, principal, hash, 200, now, (user) => JSON.stringify(wireUser(user)));
  const stored = await storedReply(env.store, idem);
  if (stored) return stored;
  const result = await env.store.setRole(
    principal.tenantId,
    id,
    role,
    now.toISOString(),
    idem,
    eventContext(call),
  );
  switch (result.kind) {
    case "replay":
      return replay(result.response, hash);
    case "not_found":
      throw userNotFound();
    case "inactive":
      throw new HttpProblem(
        409,
        "CONFLICT",
        `User ${id} is inactive: the role of a deactivated user cannot be changed`,
      );
    case "last_admin":
      throw new HttpProblem(
        409,
        "CONFLICT",
        "Cannot demote the last active admin of the tenant: make another user an active admin first",
      );
    case "done":
      // A demoted admin's admin:users keys were revoked in the same commit: no cached lookup may keep them.
      if (result.revokedKeys > 0) env.keyCache.forget();
      return jsonResponse(200, wireUser(result.user));
    case "unchanged":
      return jsonResponse(200, wireUser(result.user));
  }
}
