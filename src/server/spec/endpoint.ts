/**
 * How a route is declared: its handler together with what the OpenAPI document says about it. The route
 * table (routes/table.ts) is a list of these; the app routes and guards by them and openapi.ts describes them.
 */
import type { z } from "zod";
import type { ADMIN_USERS_SCOPE, ProblemCode } from "../../wire/mod.ts";
import type { AuthedCall, Route } from "../call.ts";

/** A query or path parameter. */
export interface Parameter {
  description: string;
  /** Its values (strings on the wire: `z.string()`, `z.enum([...])`, or `z.int()` for numbers). */
  schema: z.ZodType;
  /** An example value. */
  example?: string | number;
}

/** A success response: its status, what it means, and its JSON body (omitted for other media types). */
export interface Reply {
  description: string;
  /** The JSON body's schema; it must be one of spec/schemas.ts's named schemas. */
  body?: z.ZodType;
  /** The media type and schema of a non-JSON body (the accept page's HTML, the metrics text). */
  media?: { type: string; schema: Record<string, unknown> };
  /** Extra response headers (`Location`...), from components.headers. */
  headers?: readonly string[];
}

interface EndpointBase {
  /** operationId: lowerCamelCase, unique. */
  operationId: string;
  /** One line. */
  summary: string;
  /** More, in Markdown. */
  description?: string;
  /** The document's tag it is listed under. */
  tag: "Users" | "Invitations" | "API keys" | "Audit log" | "Account" | "Service";
  /** The path parameter (`{id}`) of a templated path. */
  pathParam?: Parameter & { name: string };
  /** Query parameters by name; any other name is a 400. */
  query?: Record<string, Parameter>;
  /** The JSON request body's schema (one of spec/schemas.ts's `input` schemas). */
  body?: z.ZodObject;
  /** Counts against the invitation rate limits too (their RateLimit fields come with its answers). */
  invites?: boolean;
  /** Takes an `Idempotency-Key` header (and answers a repeat with the stored response). */
  idempotent?: boolean;
  /** Whether it reads or writes the database (then it may answer 503 busy and, for writes, 507). */
  database?: "read" | "write";
  /** Success responses by status. */
  replies: Readonly<Record<number, Reply>>;
  /** Problems the handler itself raises, by status, with their codes (auth, body and limits are added). */
  problems?: Readonly<Record<number, { codes: readonly ProblemCode[]; description: string }>>;
}

/** An endpoint anyone may call (or that checks its own credential, as accept does with its token). */
export interface PublicEndpoint extends EndpointBase {
  auth: "none";
  run: Route;
}

/** An endpoint behind `Authorization: Bearer`: any credential, or one holding a scope. */
export interface GuardedEndpoint extends EndpointBase {
  auth: "credential" | typeof ADMIN_USERS_SCOPE;
  run: (call: AuthedCall) => Promise<Response>;
}

/** One method of one path. */
export type Endpoint = PublicEndpoint | GuardedEndpoint;

/** Methods the service serves (HEAD is served by GET). */
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** The endpoints of one path; `path` is an OpenAPI path template such as `/v1/users/{id}`. */
export interface PathEntry {
  path: string;
  methods: Partial<Record<Method, Endpoint>>;
}
