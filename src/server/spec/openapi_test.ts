import assert from "node:assert/strict";
import { z } from "zod";
import { jsonResponse } from "../problem.ts";
import type { PathEntry } from "./endpoint.ts";
import { buildOpenApi } from "./openapi.ts";
import { healthSchema, inviteRequestSchema, userSchema } from "./schemas.ts";

type Operation = { responses: Record<string, { headers?: Record<string, unknown> }>; security: unknown };
const operation = (routes: PathEntry[], path: string, method: string) =>
  ((buildOpenApi(routes).paths as Record<string, Record<string, Operation>>)[path]?.[method]) as Operation;
const run = () => Promise.resolve(jsonResponse(200, {}));

Deno.test("a declaration's problems follow from what it declares", () => {
  const routes: PathEntry[] = [
    {
      path: "/public",
      methods: {
        GET: {
          operationId: "p",
          summary: "p",
          tag: "Service",
          auth: "none",
          replies: { 200: { description: "ok", body: healthSchema } },
          run,
        },
      },
    },
    {
      path: "/things/{id}",
      methods: {
        POST: {
          operationId: "t",
          summary: "t",
          tag: "Users",
          auth: "admin:users",
          database: "write",
          pathParam: { name: "id", description: "id", schema: z.string() },
          body: inviteRequestSchema,
          idempotent: true,
          replies: { 201: { description: "made", body: userSchema, headers: ["Location"] } },
          problems: { 409: { codes: ["CONFLICT"], description: "taken" } },
          run,
        },
      },
    },
  ];
  const open = operation(routes, "/public", "get");
  assert.deepEqual(Object.keys(open.responses), ["200", "400", "500"]);
  assert.deepEqual(open.security, []);
  const guarded = operation(routes, "/things/{id}", "post");
  assert.deepEqual(Object.keys(guarded.responses), [
    "201",
    "400",
    "401",
    "403",
    "409",
    "413",
    "415",
    "422",
    "429",
    "500",
    "503",
    "507",
  ]);
  assert.deepEqual(guarded.security, [{ bearer: ["admin:users"] }]);
  assert.deepEqual(Object.keys(guarded.responses["201"]?.headers ?? {}), [
    "X-Request-Id",
    "Location",
    "Idempotent-Replayed",
    "RateLimit",
    "RateLimit-Policy",
  ]);
  assert.ok(!("RateLimit" in (guarded.responses["401"]?.headers ?? {})), "a 401 has no caller's quota");
});

Deno.test("a body schema that is not named in spec/schemas.ts is refused", () => {
  const unnamed = z.strictObject({ x: z.string() });
  const routes: PathEntry[] = [{
    path: "/x",
    methods: {
      GET: {
        operationId: "x",
        summary: "x",
        tag: "Service",
        auth: "none",
        replies: { 200: { description: "x", body: unnamed } },
        run,
      },
    },
  }];
  assert.throws(() => buildOpenApi(routes), /The body schema of GET \/x is not named in spec\/schemas\.ts/);
});
