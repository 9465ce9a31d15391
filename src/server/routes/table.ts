/**
 * Every route of the service, declared once: the handler and what the OpenAPI document says about it. The
 * app routes, authenticates and checks scopes by this table, and `GET /openapi.json` is built from it, so
 * the two cannot differ. How to declare a route: docs/api.md.
 */
import { z } from "zod";
import { ADMIN_USERS_SCOPE } from "../../wire/mod.ts";
import { jsonResponse } from "../problem.ts";
import type { PathEntry } from "../spec/endpoint.ts";
import {
  acceptRequestSchema,
  acceptResponseSchema,
  apiKeyCreatedSchema,
  apiKeyPageSchema,
  apiKeyRequestSchema,
  apiKeySchema,
  eventPageSchema,
  healthSchema,
  inviteRequestSchema,
  meSchema,
  setRoleRequestSchema,
  userPageSchema,
  userSchema,
} from "../spec/schemas.ts";
import { acceptPage } from "./accept_page.ts";
import { createApiKey, getApiKey, LIST_API_KEYS_QUERY, listApiKeys, revokeApiKey } from "./api_keys.ts";
import { EVENTS_QUERY, listEvents } from "./events.ts";
import { acceptInvitation } from "./invitations.ts";
import { getMe } from "./me.ts";
import { serveMetrics } from "./metrics.ts";
import { openApiDocument } from "./openapi.ts";
import { resendInvitation } from "./resend_invitation.ts";
import { deactivateUser, getUser, inviteUser, LIST_QUERY, listUsers, updateUser } from "./users.ts";

const userId = {
  name: "id",
  description: "The user's id (another tenant's user is not found)",
  schema: z.string(),
  example: "usr_3mK9aQ2xT7bV",
};
const keyId = {
  name: "id",
  description: "The key's id (another tenant's key, or without admin:users another user's, is not found)",
  schema: z.string(),
  example: "key_7Hn2LpQ9",
};
const keyNotFound = {
  404: { codes: ["NOT_FOUND"], description: "No such key visible to the caller" },
} as const;
const userNotFound = {
  404: { codes: ["NOT_FOUND"], description: "No such user in the caller's tenant" },
} as const;
const notPending = {
  409: { codes: ["CONFLICT"], description: "The user is not pending, or the last active admin would go" },
} as const;

/** The route table, in matching order. */
export const ROUTES: readonly PathEntry[] = [
  {
    path: "/v1/users",
    methods: {
      GET: {
        operationId: "listUsers",
        summary: "List the tenant's users",
        description:
          "One page of users in creation order, keyset-paginated: follow `next_cursor` until null.",
        tag: "Users",
        auth: ADMIN_USERS_SCOPE,
        database: "read",
        query: LIST_QUERY,
        replies: { 200: { description: "A page of users", body: userPageSchema } },
        run: listUsers,
      },
      POST: {
        operationId: "inviteUser",
        summary: "Invite a user",
        description:
          "Creates a pending user and queues the invitation email (7-day link) in one transaction. " +
          "Counts against the invitation rate limits.",
        tag: "Users",
        auth: ADMIN_USERS_SCOPE,
        database: "write",
        body: inviteRequestSchema,
        invites: true,
        idempotent: true,
        replies: { 201: { description: "The new, pending user", body: userSchema, headers: ["Location"] } },
        problems: { 409: { codes: ["CONFLICT"], description: "A user with this email already exists" } },
        run: inviteUser,
      },
    },
  },
  {
    path: "/v1/users/{id}",
    methods: {
      GET: {
        operationId: "getUser",
        summary: "Get a user",
        tag: "Users",
        auth: ADMIN_USERS_SCOPE,
        database: "read",
        pathParam: userId,
        replies: { 200: { description: "The user", body: userSchema } },
        problems: userNotFound,
        run: getUser,
      },
      PATCH: {
        operationId: "setUserRole",
        summary: "Change a user's role",
        description: "Gives a pending or active user another role; the role the user has already is " +
          "answered as is. A demoted admin's API keys that carry `admin:users` are revoked in the same " +
          "transaction.",
        tag: "Users",
        auth: ADMIN_USERS_SCOPE,
        database: "write",
        pathParam: userId,
        body: setRoleRequestSchema,
        idempotent: true,
        replies: { 200: { description: "The user, with the role", body: userSchema } },
        problems: {
          ...userNotFound,
          409: {
            codes: ["CONFLICT"],
            description: "The user is inactive, or is the tenant's last active admin and would be demoted",
          },
        },
        run: updateUser,
      },
    },
  },
  {
    path: "/v1/users/{id}/deactivate",
    methods: {
      POST: {
        operationId: "deactivateUser",
        summary: "Deactivate a user",
        description:
          "Idempotent: an inactive user is answered as is. Revokes the user's sessions, API keys " +
          "and open invitation at once.",
        tag: "Users",
        auth: ADMIN_USERS_SCOPE,
        database: "write",
        pathParam: userId,
        idempotent: true,
        replies: { 200: { description: "The user, now inactive", body: userSchema } },
        problems: { ...userNotFound, ...notPending },
        run: deactivateUser,
      },
    },
  },
  {
    path: "/v1/users/{id}/invitation",
    methods: {
      POST: {
        operationId: "resendInvitation",
        invites: true,
        summary: "Resend a pending user's invitation",
        description:
          "Revokes the open invitation and sends a new one with a new 7-day link. Counts against " +
          "the invitation rate limits.",
        tag: "Invitations",
        auth: ADMIN_USERS_SCOPE,
        database: "write",
        pathParam: userId,
        idempotent: true,
        replies: { 200: { description: "The user, still pending", body: userSchema } },
        problems: { ...userNotFound, ...notPending },
        run: resendInvitation,
      },
    },
  },
  {
    path: "/v1/invitations/accept",
    methods: {
      POST: {
        operationId: "acceptInvitation",
        summary: "Accept an invitation",
        description: "The token is the credential. A bad token counts as a failed authentication of the " +
          "client's address.",
        tag: "Invitations",
        auth: "none",
        database: "write",
        body: acceptRequestSchema,
        replies: { 200: { description: "The user, now active, and a session", body: acceptResponseSchema } },
        problems: {
          429: { codes: ["RATE_LIMITED"], description: "Too many failed authentications from this address" },
        },
        run: acceptInvitation,
      },
    },
  },
  {
    path: "/v1/api-keys",
    methods: {
      POST: {
        operationId: "createApiKey",
        summary: "Create an API key",
        description: "A key for the caller's user, with scopes the caller holds. The secret is in this " +
          "response only.",
        tag: "API keys",
        auth: "credential",
        database: "write",
        body: apiKeyRequestSchema,
        replies: {
          201: {
            description: "The new key, with its secret",
            body: apiKeyCreatedSchema,
            headers: ["Location"],
          },
        },
        problems: {
          403: { codes: ["FORBIDDEN"], description: "A requested scope is not one of the caller's" },
          409: { codes: ["CONFLICT"], description: "The user holds the most active keys allowed" },
        },
        run: createApiKey,
      },
      GET: {
        operationId: "listApiKeys",
        summary: "List API keys",
        description:
          "One page of keys in creation order, revoked and expired ones included (see `status`). " +
          "With `admin:users`, every key of the tenant; otherwise the caller's user's own. Never a secret.",
        tag: "API keys",
        auth: "credential",
        database: "read",
        query: LIST_API_KEYS_QUERY,
        replies: { 200: { description: "A page of keys", body: apiKeyPageSchema } },
        run: listApiKeys,
      },
    },
  },
  {
    path: "/v1/api-keys/{id}",
    methods: {
      GET: {
        operationId: "getApiKey",
        summary: "Get an API key",
        description: "Without `admin:users`, only a key of the caller's user (another is not found).",
        tag: "API keys",
        auth: "credential",
        database: "read",
        pathParam: keyId,
        replies: { 200: { description: "The key, never its secret", body: apiKeySchema } },
        problems: keyNotFound,
        run: getApiKey,
      },
      DELETE: {
        operationId: "revokeApiKey",
        summary: "Revoke an API key",
        description: "The key is refused from its next request on, by every server process sharing the " +
          "database. Revoking a revoked key changes nothing. Without `admin:users`, only a key of the " +
          "caller's user.",
        tag: "API keys",
        auth: "credential",
        database: "write",
        pathParam: keyId,
        replies: { 200: { description: "The key, now revoked", body: apiKeySchema } },
        problems: {
          ...keyNotFound,
          409: { codes: ["CONFLICT"], description: "It is the tenant's last live admin:users key" },
        },
        run: revokeApiKey,
      },
    },
  },
  {
    path: "/v1/events",
    methods: {
      GET: {
        operationId: "listEvents",
        summary: "List audit events",
        description: "One page of the tenant's audit log, newest first, keyset-paginated: follow " +
          "`next_cursor` for older events. Failed authentications are one event per address and minute.",
        tag: "Audit log",
        auth: ADMIN_USERS_SCOPE,
        database: "read",
        query: EVENTS_QUERY,
        replies: { 200: { description: "A page of events", body: eventPageSchema } },
        run: listEvents,
      },
    },
  },
  {
    path: "/v1/me",
    methods: {
      GET: {
        operationId: "getMe",
        summary: "Describe the caller",
        tag: "Account",
        auth: "credential",
        database: "read",
        replies: { 200: { description: "The caller's user, tenant and credential", body: meSchema } },
        run: getMe,
      },
    },
  },
  {
    path: "/accept",
    methods: {
      GET: {
        operationId: "acceptPage",
        summary: "The invitation page",
        description:
          "The page the emailed link opens (`/accept?token=...`). Its script takes the token out " +
          "of the address bar and posts it to acceptInvitation when the button is pressed.",
        tag: "Invitations",
        auth: "none",
        replies: {
          200: {
            description: "The page (the same bytes for every token)",
            media: { type: "text/html", schema: { type: "string" } },
          },
        },
        run: acceptPage,
      },
    },
  },
  {
    path: "/healthz",
    methods: {
      GET: {
        operationId: "health",
        summary: "Liveness",
        tag: "Service",
        auth: "none",
        // Healthy while the database file is the one the server opened (503 otherwise, file_identity.ts).
        database: "read",
        replies: { 200: { description: "The service is up", body: healthSchema } },
        run: async ({ env }) => {
          await env.store.verifyStorage();
          return jsonResponse(200, { status: "ok" });
        },
      },
    },
  },
  {
    path: "/openapi.json",
    methods: {
      GET: {
        operationId: "openApi",
        summary: "This document",
        tag: "Service",
        auth: "none",
        replies: {
          200: {
            description: "The OpenAPI 3.1 document of the service",
            media: { type: "application/json", schema: { type: "object" } },
          },
        },
        run: () => openApiDocument(ROUTES),
      },
    },
  },
  {
    path: "/metrics",
    methods: {
      GET: {
        operationId: "metrics",
        summary: "Prometheus metrics",
        description:
          "Served here only when the server runs with `--metrics` (then it takes an `admin:users` " +
          "credential); `--metrics-listen ADDR` serves it, without a credential, on a listener of its own.",
        tag: "Service",
        auth: ADMIN_USERS_SCOPE,
        database: "read",
        replies: {
          200: {
            description: "The Prometheus text format, version 0.0.4",
            media: { type: "text/plain", schema: { type: "string" } },
          },
        },
        problems: { 404: { codes: ["NOT_FOUND"], description: "The server runs without `--metrics`" } },
        run: serveMetrics,
      },
    },
  },
];
