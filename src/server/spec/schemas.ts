/**
 * The wire objects of the users API as zod schemas, each with an example. Routes declare their bodies with
 * them (routes/table.ts) and the OpenAPI document's `components.schemas` is generated from them.
 */
import { z } from "zod";
import { API_KEY_STATUSES, EVENT_ACTIONS, PROBLEM_CODES, ROLES, STATUSES } from "../../wire/mod.ts";
import { KNOWN_SCOPES } from "../scopes.ts";

/** Names in `components.schemas` of the bodies the service sends. */
export const responseSchemas: z.core.$ZodRegistry<{ id: string }> = z.registry<{ id: string }>();
/** Names in `components.schemas` of the bodies it reads (converted as input: defaults are optional). */
export const requestSchemas: z.core.$ZodRegistry<{ id: string }> = z.registry<{ id: string }>();

const timestamp = (what: string) => z.string().describe(`${what} (ISO 8601, UTC)`);
const EXAMPLE_TIME = "2026-12-01T09:30:00.000Z";
const USER_EXAMPLE = {
  id: "usr_3mK9aQ2xT7bV",
  email: "ada@example.com",
  status: "pending",
  role: "member",
  created_at: EXAMPLE_TIME,
  invited_by: "usr_1aB2cD3eF4gH",
  activated_at: null,
  deactivated_at: null,
} as const;
const ACTIVE_USER_EXAMPLE = { ...USER_EXAMPLE, status: "active", activated_at: "2026-12-01T10:02:00.000Z" };
const TENANT_EXAMPLE = { id: "ten_8dJ2kQ4wPz", name: "default", created_at: "2026-11-30T08:00:00.000Z" };

/** A user with every detail the server returns. */
export const userSchema = z.strictObject({
  id: z.string().describe("User identifier, such as usr_3mK9aQ2x"),
  email: z.string().describe("Email address, as invited"),
  status: z.enum(STATUSES).describe(
    "pending until the invitation is accepted, then active; inactive once deactivated",
  ),
  role: z.string().describe(`The user's role (${ROLES.map((r) => `"${r}"`).join(" or ")})`),
  created_at: timestamp("When the user was invited"),
  invited_by: z.string().nullable().describe(
    "Id of the user who sent the invitation; null for a tenant's first admin",
  ),
  activated_at: timestamp("When the invitation was accepted").nullable(),
  deactivated_at: timestamp("When the user was deactivated").nullable(),
}).meta({ examples: [USER_EXAMPLE] });
responseSchemas.add(userSchema, { id: "User" });

/** One page of `GET /v1/users`. */
export const userPageSchema = z.strictObject({
  data: z.array(userSchema).describe("The users of this page, oldest first"),
  next_cursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
}).meta({ examples: [{ data: [USER_EXAMPLE], next_cursor: null }] });
responseSchemas.add(userPageSchema, { id: "UserPage" });

/** An RFC 9457 problem with PhyCloud's `code` and `request_id`. */
export const problemSchema = z.strictObject({
  type: z.literal("about:blank").describe("Always about:blank: `code` tells the problems apart"),
  title: z.string().describe("The HTTP status's reason phrase"),
  status: z.int().min(400).max(599).describe("The HTTP status, repeated"),
  detail: z.string().describe("What went wrong, for a person"),
  code: z.enum(PROBLEM_CODES).describe("What went wrong, for a program"),
  request_id: z.string().describe("The X-Request-Id of the response, for support"),
}).meta({
  examples: [{
    type: "about:blank",
    title: "Not Found",
    status: 404,
    detail: "User not found",
    code: "NOT_FOUND",
    request_id: "req_8Jf2kL9qW3zX",
  }],
});
responseSchemas.add(problemSchema, { id: "Problem" });

/** A tenant. */
export const tenantSchema = z.strictObject({
  id: z.string().describe("Tenant identifier, such as ten_8dJ2kQ"),
  name: z.string().describe("Tenant name"),
  created_at: timestamp("When the tenant was created"),
}).meta({ examples: [TENANT_EXAMPLE] });
responseSchemas.add(tenantSchema, { id: "Tenant" });

/** The answer of `GET /v1/me`. */
export const meSchema = z.strictObject({
  user: userSchema.nullable().describe("The credential's user; null if it no longer exists"),
  tenant: tenantSchema,
  scopes: z.array(z.string()).describe("Scopes of the credential"),
  credential: z.strictObject({
    type: z.enum(["api_key", "session"]).describe("What kind of credential authenticated the request"),
    id: z.string().describe("The credential's id (never its secret)"),
    name: z.string().nullable().describe("The API key's name; null for a session"),
    scopes: z.array(z.string()).describe("Scopes of the credential"),
  }),
}).meta({
  examples: [{
    user: { ...ACTIVE_USER_EXAMPLE, role: "admin", invited_by: null },
    tenant: TENANT_EXAMPLE,
    scopes: ["admin:users"],
    credential: { type: "api_key", id: "key_7Hn2LpQ9", name: "ci", scopes: ["admin:users"] },
  }],
});
responseSchemas.add(meSchema, { id: "Me" });

/** The body of `POST /v1/users`. */
export const inviteRequestSchema = z.strictObject({
  email: z.string().describe("Address to invite; the invitation email goes there"),
  role: z.enum(ROLES).default("member").describe("The new user's role"),
}).meta({ examples: [{ email: "ada@example.com", role: "member" }] });
requestSchemas.add(inviteRequestSchema, { id: "InviteRequest" });

/** The body of `PATCH /v1/users/{id}`. */
export const setRoleRequestSchema = z.strictObject({
  role: z.enum(ROLES).describe("The user's new role"),
}).meta({ examples: [{ role: "admin" }] });
requestSchemas.add(setRoleRequestSchema, { id: "SetRoleRequest" });

/** The body of `POST /v1/invitations/accept`. */
export const acceptRequestSchema = z.strictObject({
  token: z.string().describe("The invitation token from the emailed link (phi_...)"),
}).meta({ examples: [{ token: "phi_4Jd9sK2mQ7xW1zR8tY3uV6bN0cL5pA" }] });
requestSchemas.add(acceptRequestSchema, { id: "AcceptRequest" });

/** The answer of `POST /v1/invitations/accept`. */
export const acceptResponseSchema = z.strictObject({
  user: userSchema.describe("The user, now active"),
  session: z.strictObject({
    token: z.string().describe("A session token (phs_...), shown this once; use as a bearer credential"),
    expires_at: timestamp("When the session ends"),
  }),
}).meta({
  examples: [{
    user: ACTIVE_USER_EXAMPLE,
    session: { token: "phs_9Kd2mQ7xW1zR8tY3uV6bN0cL5pA4Jd9s", expires_at: "2026-12-02T10:02:00.000Z" },
  }],
});
responseSchemas.add(acceptResponseSchema, { id: "AcceptResponse" });

/** The body of `POST /v1/api-keys`. */
export const apiKeyRequestSchema = z.strictObject({
  name: z.string().min(1).max(100).describe("A name to recognise the key by"),
  scopes: z.array(z.enum(KNOWN_SCOPES as [string, ...string[]])).describe(
    "Scopes of the new key; each must be one of the caller's",
  ),
  expires_at: z.string().optional().describe(
    "When the key stops working: an RFC 3339 time in the future; absent, never",
  ),
}).meta({ examples: [{ name: "ci", scopes: ["admin:users"], expires_at: "2027-03-01T00:00:00Z" }] });
requestSchemas.add(apiKeyRequestSchema, { id: "ApiKeyRequest" });

const API_KEY_EXAMPLE = {
  id: "key_7Hn2LpQ9",
  name: "ci",
  scopes: ["admin:users"],
  user_id: "usr_1aB2cD3eF4gH",
  status: "active",
  created_at: EXAMPLE_TIME,
  expires_at: "2027-03-01T00:00:00.000Z",
  last_used_at: "2026-12-01T09:41:00.000Z",
  revoked_at: null,
} as const;

const apiKeyShape = {
  id: z.string().describe("Key identifier, such as key_7Hn2Lp"),
  name: z.string().describe("The key's name"),
  scopes: z.array(z.string()).describe("The key's scopes"),
  user_id: z.string().describe("The user the key acts as"),
  status: z.enum(API_KEY_STATUSES).describe("active; expired once past expires_at; revoked once revoked"),
  created_at: timestamp("When the key was created"),
  expires_at: timestamp("When the key stops working").nullable(),
  last_used_at: timestamp("When the key was last used, to within a minute").nullable(),
  revoked_at: timestamp("When the key was revoked").nullable(),
};

/** An API key, never its secret. */
export const apiKeySchema = z.strictObject(apiKeyShape).meta({ examples: [API_KEY_EXAMPLE] });
responseSchemas.add(apiKeySchema, { id: "ApiKey" });

/** The answer of `POST /v1/api-keys`. */
export const apiKeyCreatedSchema = z.strictObject({
  ...apiKeyShape,
  key: z.string().describe("The secret (phy_...), shown in this response only"),
}).meta({
  examples: [{
    ...API_KEY_EXAMPLE,
    last_used_at: null,
    key: "phy_Z3x9Kd2mQ7xW1zR8tY3uV6bN0cL5pA4J",
  }],
});
responseSchemas.add(apiKeyCreatedSchema, { id: "ApiKeyCreated" });

/** One page of `GET /v1/api-keys`. */
export const apiKeyPageSchema = z.strictObject({
  data: z.array(apiKeySchema).describe("The keys of this page, oldest first"),
  next_cursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
}).meta({ examples: [{ data: [API_KEY_EXAMPLE], next_cursor: null }] });
responseSchemas.add(apiKeyPageSchema, { id: "ApiKeyPage" });

const EVENT_EXAMPLE = {
  id: "evt_5Qw8eR2tY6uI",
  time: EXAMPLE_TIME,
  tenant_id: TENANT_EXAMPLE.id,
  action: "user.deactivated",
  actor_user_id: "usr_1aB2cD3eF4gH",
  actor_credential_id: "key_7Hn2LpQ9",
  target: USER_EXAMPLE.id,
  request_id: "req_8Jf2kL9qW3zX",
  client_address: "203.0.113.7",
  count: 1,
  details: null,
} as const;

/** An audit event. */
export const auditEventSchema = z.strictObject({
  id: z.string().describe("Event identifier, such as evt_5Qw8eR"),
  time: timestamp("When it happened; failed authentications: the start of their minute"),
  tenant_id: z.string().describe("The tenant"),
  action: z.string().describe(`What happened: ${EVENT_ACTIONS.join(", ")}`),
  actor_user_id: z.string().nullable().describe(
    "The acting user; null for the operator or an unknown caller",
  ),
  actor_credential_id: z.string().nullable().describe(
    "The credential the actor used (key_..., ses_..., or inv_... for an accepted invitation)",
  ),
  target: z.string().nullable().describe("The user, key or tenant acted on"),
  request_id: z.string().nullable().describe("The request's X-Request-Id; null outside a request"),
  client_address: z.string().nullable().describe("The client's address, as the rate limits see it"),
  count: z.int().min(1).describe("Occurrences: failed authentications are counted per address and minute"),
  details: z.record(z.string(), z.unknown()).nullable().describe(
    "More facts, such as a key's name and scopes; never a secret",
  ),
}).meta({ examples: [EVENT_EXAMPLE] });
responseSchemas.add(auditEventSchema, { id: "AuditEvent" });

/** One page of `GET /v1/events`. */
export const eventPageSchema = z.strictObject({
  data: z.array(auditEventSchema).describe("The events of this page, newest first"),
  next_cursor: z.string().nullable().describe("Pass as `cursor` for older events; null on the last page"),
}).meta({ examples: [{ data: [EVENT_EXAMPLE], next_cursor: null }] });
responseSchemas.add(eventPageSchema, { id: "EventPage" });

/** The answer of `GET /healthz`. */
export const healthSchema = z.strictObject({ status: z.literal("ok") }).meta({
  examples: [{ status: "ok" }],
});
responseSchemas.add(healthSchema, { id: "Health" });
