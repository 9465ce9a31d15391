/**
 * The OpenAPI 3.1 document of the service, generated from the route table: paths and operations from the
 * declarations, schemas from the zod schemas (z.toJSONSchema), and the problems every operation can answer
 * from what it declares (a credential, a body, an Idempotency-Key, the database).
 */
import { z } from "zod";
import { ADMIN_USERS_SCOPE, type ProblemCode } from "../../wire/mod.ts";
import { VERSION } from "../../version.ts";
import { MAX_BODY_BYTES } from "../body.ts";
import { PROBLEM_TITLES } from "../problem.ts";
import type { Endpoint, Method, Parameter, PathEntry } from "./endpoint.ts";
import { requestSchemas, responseSchemas } from "./schemas.ts";

type Json = Record<string, unknown>;

const SCHEMAS = "#/components/schemas/";
const HEADERS = "#/components/headers/";

/** Headers the document describes, by name, as `components.headers`. */
const HEADER_OBJECTS: Record<string, Json> = {
  "X-Request-Id": {
    description: "Identifies this request in the server's log; every response carries it",
    required: true,
    schema: { type: "string", examples: ["req_8Jf2kL9qW3zX"] },
  },
  "Retry-After": {
    description: "Seconds to wait before trying again",
    required: true,
    schema: { type: "integer", minimum: 1, examples: [12] },
  },
  "WWW-Authenticate": {
    description: "The authentication scheme: Bearer",
    required: true,
    schema: { type: "string", const: 'Bearer realm="phycloud"' },
  },
  Location: {
    description: "Path of the created resource",
    required: true,
    schema: { type: "string", examples: ["/v1/users/usr_3mK9aQ2xT7bV"] },
  },
  "Idempotent-Replayed": {
    description: "true when this is the stored response of an earlier request with the same Idempotency-Key",
    schema: { type: "string", const: "true" },
  },
  RateLimit: {
    description: "The caller's remaining request quota (IETF draft-ietf-httpapi-ratelimit-headers)",
    schema: { type: "string", examples: ['"key";r=598;t=1, "tenant";r=1198;t=1'] },
  },
  "RateLimit-Policy": {
    description: "The request quota policy (IETF draft-ietf-httpapi-ratelimit-headers)",
    schema: { type: "string", examples: ['"key";q=600;w=60, "tenant";q=1200;w=60'] },
  },
};

const ref = (id: string) => ({ $ref: `${SCHEMAS}${id}` });
const headerRef = (name: string) => ({ $ref: `${HEADERS}${name}` });

// A component's JSON Schema without the members that only a standalone document has.
function bare(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function components(): Json {
  const uri = (id: string) => `${SCHEMAS}${id}`;
  const out = z.toJSONSchema(responseSchemas, { uri, io: "output" }).schemas;
  const input = z.toJSONSchema(requestSchemas, { uri, io: "input" }).schemas;
  const schemas: Json = {};
  for (const [id, schema] of Object.entries({ ...out, ...input }).sort(([a], [b]) => a.localeCompare(b))) {
    schemas[id] = bare(schema as Json);
  }
  return schemas;
}

function schemaId(schema: z.ZodType, where: string): string {
  const id = responseSchemas.get(schema)?.id ?? requestSchemas.get(schema)?.id;
  if (id === undefined) throw new Error(`The body schema of ${where} is not named in spec/schemas.ts`);
  return id;
}

function parameter(name: string, location: "query" | "path", p: Parameter): Json {
  const schema = bare(z.toJSONSchema(p.schema, { io: "input" }) as Json);
  return {
    name,
    in: location,
    description: p.description,
    required: location === "path",
    schema,
    ...(p.example === undefined ? {} : { example: p.example }),
  };
}

interface ProblemCase {
  codes: Set<ProblemCode>;
  descriptions: string[];
  headers: Set<string>;
}

// Every problem an endpoint can answer, by status: its own and those of what it declares.
function problemsOf(endpoint: Endpoint, method: Method): Map<number, ProblemCase> {
  const cases = new Map<number, ProblemCase>();
  const add = (
    status: number,
    codes: readonly ProblemCode[],
    description: string,
    headers: string[] = [],
  ) => {
    let found = cases.get(status);
    if (!found) cases.set(status, found = { codes: new Set(), descriptions: [], headers: new Set() });
    for (const code of codes) found.codes.add(code);
    if (!found.descriptions.includes(description)) found.descriptions.push(description);
    for (const header of headers) found.headers.add(header);
  };
  add(400, ["VALIDATION_ERROR"], "The request is malformed (its Host header, a parameter or its body)");
  if (method !== "GET") {
    add(413, ["VALIDATION_ERROR"], `The body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (endpoint.body) add(415, ["VALIDATION_ERROR"], "The body is not sent as application/json");
  if (endpoint.idempotent) {
    add(422, ["VALIDATION_ERROR"], "The Idempotency-Key was used with a different request");
  }
  if (endpoint.auth !== "none") {
    add(401, ["UNAUTHENTICATED"], "No credential, or an invalid, expired or revoked one", [
      "WWW-Authenticate",
    ]);
    add(
      429,
      ["RATE_LIMITED"],
      endpoint.invites
        ? "A rate limit is spent (the key's or the tenant's requests or invitations, or failed authentications)"
        : "A rate limit is spent (the key's or the tenant's requests, or failed authentications)",
      [
        "Retry-After",
      ],
    );
  }
  if (endpoint.auth === ADMIN_USERS_SCOPE) {
    add(403, ["FORBIDDEN"], `The credential lacks the ${ADMIN_USERS_SCOPE} scope`);
  }
  for (const [status, problem] of Object.entries(endpoint.problems ?? {})) {
    add(Number(status), problem.codes, problem.description, status === "429" ? ["Retry-After"] : []);
  }
  add(500, ["INTERNAL"], "An unexpected server error (the request id is in the server's log)");
  if (endpoint.database !== undefined) {
    add(503, ["UNAVAILABLE"], "The database is busy: retry shortly", ["Retry-After"]);
  }
  if (endpoint.database === "write") add(507, ["INTERNAL"], "The database's disk is full");
  return cases;
}

function problemResponse(status: number, problem: ProblemCase): Json {
  const codes = [...problem.codes];
  const headers: Json = { "X-Request-Id": headerRef("X-Request-Id") };
  for (const name of problem.headers) headers[name] = headerRef(name);
  const examples: Json = {};
  for (const code of codes) {
    examples[code] = {
      value: {
        type: "about:blank",
        title: PROBLEM_TITLES[status] ?? "Error",
        status,
        detail: problem.descriptions[0] ?? "",
        code,
        request_id: "req_8Jf2kL9qW3zX",
      },
    };
  }
  return {
    description: problem.descriptions.join("; "),
    headers,
    content: {
      "application/problem+json": {
        schema: {
          allOf: [ref("Problem"), {
            properties: {
              status: { const: status },
              code: codes.length === 1 ? { const: codes[0] } : { enum: codes },
            },
          }],
        },
        examples,
      },
    },
  };
}

function operation(path: string, method: Method, endpoint: Endpoint): Json {
  const where = `${method} ${path}`;
  const parameters: Json[] = [];
  if (endpoint.pathParam) parameters.push(parameter(endpoint.pathParam.name, "path", endpoint.pathParam));
  for (const [name, p] of Object.entries(endpoint.query ?? {})) parameters.push(parameter(name, "query", p));
  if (endpoint.idempotent) parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });
  const responses: Json = {};
  const limited = endpoint.auth !== "none";
  for (const [status, reply] of Object.entries(endpoint.replies)) {
    const headers: Json = { "X-Request-Id": headerRef("X-Request-Id") };
    for (const name of reply.headers ?? []) headers[name] = headerRef(name);
    if (endpoint.idempotent) headers["Idempotent-Replayed"] = headerRef("Idempotent-Replayed");
    if (limited) {
      headers.RateLimit = headerRef("RateLimit");
      headers["RateLimit-Policy"] = headerRef("RateLimit-Policy");
    }
    const content = reply.body
      ? { "application/json": { schema: ref(schemaId(reply.body, where)) } }
      : reply.media
      ? { [reply.media.type]: { schema: reply.media.schema } }
      : undefined;
    responses[status] = { description: reply.description, headers, ...(content ? { content } : {}) };
  }
  for (const [status, problem] of [...problemsOf(endpoint, method)].sort(([a], [b]) => a - b)) {
    // An authenticated caller's errors carry its quota too (a 401 has no caller to count against).
    if (limited && status !== 401) problem.headers.add("RateLimit").add("RateLimit-Policy");
    responses[status] = problemResponse(status, problem);
  }
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    ...(endpoint.description === undefined ? {} : { description: endpoint.description }),
    tags: [endpoint.tag],
    security: endpoint.auth === "none"
      ? []
      : [{ bearer: endpoint.auth === "credential" ? [] : [endpoint.auth] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(endpoint.body
      ? {
        requestBody: {
          required: true,
          content: { "application/json": { schema: ref(schemaId(endpoint.body, where)) } },
        },
      }
      : {}),
    responses,
  };
}

const TAGS = [
  { name: "Users", description: "Invite, list, get and deactivate the users of the caller's tenant" },
  { name: "Invitations", description: "The emailed invitation: its page, accepting it, sending it again" },
  { name: "API keys", description: "Credentials for programs" },
  { name: "Audit log", description: "Who changed what, when, through which request and from where" },
  { name: "Account", description: "The caller" },
  { name: "Service", description: "Health, this document and metrics" },
];

/** Builds the document from the route table. */
export function buildOpenApi(routes: readonly PathEntry[]): Json {
  const paths: Json = {};
  for (const { path, methods } of routes) {
    const item: Json = {};
    for (const [method, endpoint] of Object.entries(methods) as [Method, Endpoint][]) {
      item[method.toLowerCase()] = operation(path, method, endpoint);
    }
    paths[path] = item;
  }
  return {
    openapi: "3.1.1",
    info: {
      title: "PhyCloud users API",
      version: VERSION,
      summary: "Users, invitations and API keys of PhyCloud tenants",
      description:
        "The API `phyware server` serves and the `phyware` CLI, its MCP tools and other programs " +
        "use. Every response carries `X-Request-Id`; every error is an RFC 9457 `application/problem+json` " +
        "body whose `code` says what went wrong. A method a path does not have is answered 405 (with " +
        "`Allow`), and a path the service does not have 404, both as problems.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    tags: TAGS,
    paths,
    components: {
      schemas: components(),
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          description: "Makes a retry safe: a repeat with the same key within 24 hours gets the stored " +
            "response (with `Idempotent-Replayed: true`) and writes nothing.",
          schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
          example: "3f1c2d9e-7b4a-4e0f-9a51-2c8d6b7e1f04",
        },
      },
      headers: HEADER_OBJECTS,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An API key (phy_...) or a session token (phs_...) from accepting an invitation. " +
            `The users operations need the ${ADMIN_USERS_SCOPE} scope.`,
        },
      },
    },
  };
}
