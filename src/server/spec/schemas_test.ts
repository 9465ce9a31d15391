// The CLI's wire types (src/api/types.ts) and the OpenAPI document cannot drift: the types must equal the
// schemas' (checked by the compiler), and the CLI's parsers must read each documented example back whole.
import assert from "node:assert/strict";
import type { z } from "zod";
import {
  type AcceptResponse,
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyPage,
  type AuditEvent,
  type EventPage,
  type Me,
  parseApiKey,
  parseApiKeyCreated,
  parseApiKeyPage,
  parseAuditEvent,
  parseEventPage,
  parseMe,
  parseProblem,
  parseUserDetails,
  parseUserPage,
  PROBLEM_CODES,
  ROLES,
  STATUSES,
  type Tenant,
  type UserDetails,
  type UserPage,
} from "../../api/types.ts";
import { userSchema as mcpUserSchema } from "../../mcp/schemas.ts";
import { ROUTES } from "../routes/table.ts";
import { buildOpenApi } from "./openapi.ts";
import type {
  acceptResponseSchema,
  apiKeyCreatedSchema,
  apiKeyPageSchema,
  apiKeySchema,
  auditEventSchema,
  eventPageSchema,
  meSchema,
  tenantSchema,
  userPageSchema,
  userSchema,
} from "./schemas.ts";

// True only when A and B are the same type (not merely assignable).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

// A compile error here means a wire type and its documented schema differ: change both together.
const sameTypes: [
  Same<z.output<typeof userSchema>, UserDetails>,
  Same<z.output<typeof userPageSchema>, UserPage>,
  Same<z.output<typeof tenantSchema>, Tenant>,
  Same<z.output<typeof meSchema>, Me>,
  Same<z.output<typeof acceptResponseSchema>, AcceptResponse>,
  Same<z.output<typeof apiKeyCreatedSchema>, ApiKeyCreated>,
  Same<z.output<typeof apiKeySchema>, ApiKey>,
  Same<z.output<typeof apiKeyPageSchema>, ApiKeyPage>,
  Same<z.output<typeof auditEventSchema>, AuditEvent>,
  Same<z.output<typeof eventPageSchema>, EventPage>,
] = [true, true, true, true, true, true, true, true, true, true];

type Schema = {
  properties?: Record<string, Schema>;
  required?: string[];
  examples?: unknown[];
  enum?: unknown[];
};
const schemas = (buildOpenApi(ROUTES).components as { schemas: Record<string, Schema> }).schemas;
const example = (id: string) => schemas[id]?.examples?.[0];

Deno.test("the CLI's wire types are the document's schemas", () => {
  assert.ok(sameTypes.every(Boolean));
  assert.deepEqual(schemas.User?.properties?.status?.enum, [...STATUSES]);
  assert.deepEqual(schemas.Problem?.properties?.code?.enum, [...PROBLEM_CODES]);
  assert.deepEqual(schemas.InviteRequest?.properties?.role?.enum, [...ROLES]);
});

Deno.test("the CLI's parsers read every documented example back whole", () => {
  assert.deepEqual(parseUserDetails(example("User")), example("User"));
  assert.deepEqual(parseUserPage(example("UserPage")), example("UserPage"));
  assert.deepEqual(parseMe(example("Me")), example("Me"));
  assert.deepEqual(parseProblem(example("Problem")), example("Problem"));
  assert.deepEqual(parseApiKey(example("ApiKey")), example("ApiKey"));
  assert.deepEqual(parseApiKeyCreated(example("ApiKeyCreated")), example("ApiKeyCreated"));
  assert.deepEqual(parseApiKeyPage(example("ApiKeyPage")), example("ApiKeyPage"));
  assert.deepEqual(parseAuditEvent(example("AuditEvent")), example("AuditEvent"));
  assert.deepEqual(parseEventPage(example("EventPage")), example("EventPage"));
  const accepted = example("AcceptResponse") as AcceptResponse;
  assert.deepEqual(parseUserDetails(accepted.user), accepted.user);
  // Every member the document requires is one the parser returns, and the other way round.
  assert.deepEqual(
    Object.keys(parseUserDetails(example("User"))).sort(),
    [...schemas.User?.required ?? []].sort(),
  );
});

Deno.test("the MCP tools' user has the document's members", () => {
  const mcp = mcpUserSchema.shape;
  assert.deepEqual(Object.keys(mcp), Object.keys(schemas.User?.properties ?? {}));
});
