/**
 * `/v1/api-keys`: create a key for the caller's user (scopes within the caller's), list the tenant's keys
 * (a caller without admin:users sees its own user's only) and revoke one. Never the secret, except once in
 * the answer that creates it.
 */
import { ADMIN_USERS_SCOPE } from "../../wire/mod.ts";
import { eventContext, insufficientScope } from "../auth.ts";
import type { AuthedCall } from "../call.ts";
import { discardBody, onlyFields, readJsonObject } from "../body.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { hashSecret, ID_LENGTH, newSecret, SECRET_PREFIX } from "../ids.ts";
import { HttpProblem, invalid, jsonResponse } from "../problem.ts";
import { z } from "zod";
import { DEFAULT_LIMIT, MAX_LIMIT, onlyParams, parseLimit, singleParam } from "../query_params.ts";
import { parseRfc3339 } from "../rfc3339.ts";
import { TooManyApiKeysError } from "../store/types.ts";
import { KNOWN_SCOPES } from "../scopes.ts";
import type { Parameter } from "../spec/endpoint.ts";
import { apiKeyRequestSchema } from "../spec/schemas.ts";
import { wireApiKey, wireApiKeyCreated } from "../wire.ts";

const MAX_NAME = 100;
const KEY_ID = new RegExp(`^key_[0-9A-Za-z]{${ID_LENGTH}}$`);

/** The 404 of a key id that is unknown, malformed, another tenant's, or (without admin:users) another user's. */
const keyNotFound = (): HttpProblem => new HttpProblem(404, "NOT_FOUND", "API key not found");

function parseName(value: unknown): string {
  if (value === undefined) throw invalid('Missing field "name"');
  if (typeof value !== "string") throw invalid('Invalid "name": not a string');
  const name = value.trim();
  if (name === "") throw invalid('Invalid "name": empty');
  if (name.length > MAX_NAME) throw invalid(`Invalid "name": longer than ${MAX_NAME} characters`);
  if (/\p{Cc}/u.test(name)) {
    throw invalid('Invalid "name": contains a control character');
  }
  return name;
}

function parseScopes(value: unknown): string[] {
  if (value === undefined) throw invalid('Missing field "scopes"');
  if (!Array.isArray(value)) throw invalid('Invalid "scopes": not an array');
  const scopes: string[] = [];
  for (const scope of value) {
    if (typeof scope !== "string" || !KNOWN_SCOPES.includes(scope)) {
      throw invalid(
        `Invalid "scopes": unknown scope ${JSON.stringify(scope)}; known: ${
          KNOWN_SCOPES.map((s) => `"${s}"`).join(", ")
        }`,
      );
    }
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  return scopes;
}

// An optional RFC 3339 time in the future, normalised to UTC with milliseconds (how every time is stored).
function parseExpiry(value: unknown, now: Date): string | null {
  if (value === undefined || value === null) return null;
  const time = typeof value === "string" ? parseRfc3339(value) : undefined;
  if (time === undefined) {
    throw invalid(
      `Invalid "expires_at" ${JSON.stringify(value)}: expected an RFC 3339 time such as 2030-01-31T00:00:00Z`,
    );
  }
  if (time.getTime() <= now.getTime()) {
    throw invalid(`Invalid "expires_at" ${JSON.stringify(value)}: in the past`);
  }
  return time.toISOString();
}

/** `POST /v1/api-keys` {"name","scopes","expires_at"?}: creates a key; its secret is in this response only. */
export async function createApiKey(call: AuthedCall): Promise<Response> {
  const { request, env, principal } = call;
  const body = await readJsonObject(request);
  onlyFields(body, Object.keys(apiKeyRequestSchema.shape));
  const name = parseName(body.name);
  const scopes = parseScopes(body.scopes);
  const now = env.now();
  const expiresAt = parseExpiry(body.expires_at, now);
  if (!scopes.every((scope) => principal.scopes.includes(scope))) {
    throw insufficientScope();
  }
  const secret = newSecret(SECRET_PREFIX.apiKey);
  const key = await env.store.createApiKey({
    tenantId: principal.tenantId,
    userId: principal.userId,
    name,
    scopes,
    keyHash: hashSecret(secret),
    now: now.toISOString(),
    expiresAt,
    maxActiveKeys: env.maxApiKeys,
  }, eventContext(call)).catch((error: unknown) => {
    if (!(error instanceof TooManyApiKeysError)) throw error;
    throw new HttpProblem(
      409,
      "CONFLICT",
      `API key limit reached: a user holds at most ${error.max} active keys (server option --max-api-keys)`,
    );
  });
  return jsonResponse(201, wireApiKeyCreated(key, now.toISOString(), secret), {
    location: `/v1/api-keys/${key.id}`,
  });
}

/** The query parameters of `GET /v1/api-keys`, as the route table declares them. */
export const LIST_API_KEYS_QUERY: Readonly<Record<string, Parameter>> = {
  limit: {
    description: `Page size, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`,
    schema: z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    example: 50,
  },
  cursor: { description: "The `next_cursor` of the previous page", schema: z.string() },
};
const LIST_PARAMS = Object.keys(LIST_API_KEYS_QUERY);

/**
 * `GET /v1/api-keys?limit=&cursor=`: one page in creation order, revoked and expired keys included (see
 * `status`). With admin:users, every key of the tenant; otherwise the caller's user's own.
 */
export async function listApiKeys({ url, env, principal }: AuthedCall): Promise<Response> {
  const params = url.searchParams;
  onlyParams(params, LIST_PARAMS);
  const limit = parseLimit(singleParam(params, "limit"));
  const userId = principal.scopes.includes(ADMIN_USERS_SCOPE) ? undefined : principal.userId;
  const scope = {
    tenantId: principal.tenantId,
    status: undefined,
    role: undefined,
    listing: `keys\n${userId ?? ""}`,
  };
  const cursor = singleParam(params, "cursor");
  const afterSeq = cursor === undefined ? 0 : decodeCursor(env.cursorSecret, scope, cursor);
  const page = await env.store.listApiKeys({ tenantId: principal.tenantId, userId, afterSeq, limit });
  const now = env.now().toISOString();
  return jsonResponse(200, {
    data: page.keys.map((key) => wireApiKey(key, now)),
    next_cursor: page.more ? encodeCursor(env.cursorSecret, scope, page.lastSeq) : null,
  });
}

/** `GET /v1/api-keys/{id}`: one key (without admin:users, only one of the caller's user's). */
export async function getApiKey({ param: id, env, principal }: AuthedCall): Promise<Response> {
  const key = KEY_ID.test(id) ? await env.store.getApiKey(principal.tenantId, id) : undefined;
  const visible = key && (principal.scopes.includes(ADMIN_USERS_SCOPE) || key.userId === principal.userId);
  if (!key || !visible) throw keyNotFound();
  return jsonResponse(200, wireApiKey(key, env.now().toISOString()));
}

/**
 * `DELETE /v1/api-keys/{id}`: revokes the key at once, in this process (its cache is emptied) and in every
 * other sharing the database (the revocation counter moves); 200 with the key. Revoking a revoked key
 * changes nothing. Without admin:users only the caller's user's keys can be revoked; 409 for the tenant's
 * last live admin:users key.
 */
export async function revokeApiKey(call: AuthedCall): Promise<Response> {
  const { request, param: id, env, principal } = call;
  await discardBody(request);
  if (!KEY_ID.test(id)) throw keyNotFound();
  const now = env.now().toISOString();
  const result = await env.store.revokeApiKey({
    tenantId: principal.tenantId,
    keyId: id,
    ownerId: principal.scopes.includes(ADMIN_USERS_SCOPE) ? undefined : principal.userId,
    now,
    context: eventContext(call),
  });
  // After the commit: a lookup that began before it must not cache the revoked key.
  env.keyCache.forget();
  switch (result.kind) {
    case "not_found":
      throw keyNotFound();
    case "last_admin_key":
      throw new HttpProblem(
        409,
        "CONFLICT",
        "Cannot revoke the tenant's last live admin:users API key: create another one first",
      );
    case "done":
      return jsonResponse(200, wireApiKey(result.key, now));
  }
}
