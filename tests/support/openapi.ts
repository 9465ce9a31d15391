/**
 * Holds every response of the server test suite to the OpenAPI document: the document is built from the
 * route table, and @hyperjump/json-schema (its OpenAPI 3.1 dialect) validates bodies and headers against
 * it. A response whose path, method, status, media type, headers or body the document does not describe is
 * a failure. `checkedHandler` wraps a service's handler (startTestServer and testService use it).
 */
import { BASIC } from "@hyperjump/json-schema/experimental";
import { registerSchema, validate, type Validator } from "@hyperjump/json-schema/openapi-3-1";

type JsonValue = Parameters<Validator>[0];
import type { Handler, RequestInfo } from "../../src/context.ts";
import { ROUTES } from "../../src/server/routes/table.ts";
import { buildOpenApi } from "../../src/server/spec/openapi.ts";

type Json = Record<string, unknown>;

/** The document the suite checks against: what `GET /openapi.json` serves. */
export const OPENAPI: Json = buildOpenApi(ROUTES);

// Registered as the validator's OpenAPI plugin would read it from a file: with OpenAPI 3.1's schema dialect.
const DOCUMENT_URL = "https://phyware.test/openapi.json";
registerSchema(
  OPENAPI as Parameters<typeof registerSchema>[0],
  DOCUMENT_URL,
  "https://spec.openapis.org/oas/3.1/schema-base",
);

const pointer = (...parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/");

const validators = new Map<string, Promise<Validator>>();

async function check(location: string, value: unknown): Promise<string | undefined> {
  let compiled = validators.get(location);
  if (!compiled) {
    compiled = validate(`${DOCUMENT_URL}#/${location}`);
    validators.set(location, compiled);
  }
  const output = (await compiled)(value as JsonValue, BASIC);
  if (output.valid) return undefined;
  const errors = (output.errors ?? []).map((e) =>
    `${e.instanceLocation} fails ${decodeURIComponent(e.absoluteKeywordLocation.replace(/^.*#/, ""))}`
  );
  return errors.join("; ");
}

function resolve<T>(value: unknown): T {
  if (typeof value === "object" && value !== null && "$ref" in value && typeof value.$ref === "string") {
    let at: unknown = OPENAPI;
    for (const part of value.$ref.replace(/^#\//, "").split("/")) {
      at = (at as Json)[part.replaceAll("~1", "/")];
    }
    return at as T;
  }
  return value as T;
}

const paths = Object.entries(OPENAPI.paths as Json).map(([template, item]) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  item: item as Json,
}));

const mediaType = (header: string | null) => header?.split(";")[0]?.trim().toLowerCase() ?? "";
const isJson = (type: string) => type === "application/json" || type.endsWith("+json");

async function checkProblem(what: string, response: Response, body: string): Promise<string[]> {
  const errors: string[] = [];
  if (mediaType(response.headers.get("content-type")) !== "application/problem+json") {
    errors.push(`${what}: not application/problem+json`);
    return errors;
  }
  const failed = await check(pointer("components", "schemas", "Problem"), JSON.parse(body));
  if (failed) errors.push(`${what}: body ${failed}`);
  return errors;
}

/**
 * What the document does not describe in this response to `method` `url` (empty when it is all described).
 * `body` is the response's text (the caller reads a clone).
 */
export async function undocumented(
  method: string,
  url: string,
  response: Response,
  body: string,
): Promise<string[]> {
  const path = new URL(url).pathname;
  const what = `${method} ${path} -> ${response.status}`;
  const errors: string[] = [];
  if (!/^req_/.test(response.headers.get("x-request-id") ?? "")) errors.push(`${what}: no X-Request-Id`);
  const entry = paths.find((p) => p.pattern.test(path));
  if (!entry) {
    // A path the service does not have: the 404 of info.description (or the 400 of a bad Host header).
    if (response.status !== 404 && response.status !== 400) errors.push(`${what}: undocumented path`);
    return [...errors, ...await checkProblem(what, response, body)];
  }
  const operationMethod = method === "HEAD" ? "get" : method.toLowerCase();
  const operation = Object.hasOwn(entry.item, operationMethod)
    ? entry.item[operationMethod] as Json
    : undefined;
  if (!operation) {
    // A method the path does not have: the 405 of info.description.
    if (response.status !== 405) errors.push(`${what}: undocumented method of ${entry.template}`);
    if (!response.headers.get("allow")) errors.push(`${what}: a 405 without Allow`);
    return [...errors, ...await checkProblem(what, response, body)];
  }
  const status = String(response.status);
  const responses = operation.responses as Json;
  const reply = Object.hasOwn(responses, status) ? resolve<Json>(responses[status]) : undefined;
  if (!reply) {
    return [...errors, `${what}: status ${status} is not documented for ${method} ${entry.template}`];
  }
  const base = pointer("paths", entry.template, operationMethod, "responses", status);
  for (const [name, header] of Object.entries((reply.headers ?? {}) as Json)) {
    const declared = resolve<Json>(header);
    const ref = (header as { $ref?: string }).$ref;
    const at = ref === undefined
      ? `${base}/headers/${pointer(name)}/schema`
      : `${ref.replace(/^#\//, "").split("/").map((p) => encodeURIComponent(p)).join("/")}/schema`;
    const value = response.headers.get(name);
    if (value === null) {
      if (declared.required === true) errors.push(`${what}: missing required header ${name}`);
      continue;
    }
    const schema = declared.schema as Json;
    const typed = schema.type === "integer" && /^-?[0-9]+$/.test(value) ? Number(value) : value;
    const failed = await check(at, typed);
    if (failed) errors.push(`${what}: header ${name} ${JSON.stringify(value)} ${failed}`);
  }
  const content = reply.content as Json | undefined;
  const type = mediaType(response.headers.get("content-type"));
  if (!content) {
    if (body !== "") errors.push(`${what}: a body where the document has none`);
    return errors;
  }
  if (!Object.hasOwn(content, type)) {
    return [
      ...errors,
      `${what}: media type "${type}" is not documented (${Object.keys(content).join(", ")})`,
    ];
  }
  if (method === "HEAD") return errors;
  let value: unknown = body;
  if (isJson(type)) {
    try {
      value = JSON.parse(body);
    } catch {
      return [...errors, `${what}: the ${type} body is not JSON`];
    }
  }
  const failed = await check(`${base}/content/${pointer(type)}/schema`, value);
  if (failed) errors.push(`${what}: body ${failed}`);
  return errors;
}

/** What `checkedHandler` found so far, and the check to call when the server stops. */
export interface ResponseLedger {
  /** One entry per undocumented response. */
  failures: string[];
  /** Waits for the checks in flight, then throws if any response was undocumented. */
  assertDocumented(): Promise<void>;
}

/**
 * Wraps a handler so each response it gives is checked against the document (on a clone, so the response
 * itself goes out untouched); failures are kept in the ledger.
 */
export function checkedHandler(handler: Handler): { handler: Handler; ledger: ResponseLedger } {
  const failures: string[] = [];
  const pending = new Set<Promise<void>>();
  const wrapped: Handler = async (request: Request, info?: RequestInfo) => {
    const method = request.method;
    const url = request.url;
    const response = await handler(request, info);
    const copy = response.clone();
    const checking = (async () => {
      let body = "";
      try {
        body = await copy.text();
      } catch {
        return; // The client went away mid-body: nothing was received to check.
      }
      failures.push(...await undocumented(method, url, response, body));
    })().catch((error: unknown) => {
      failures.push(`${method} ${url} -> ${response.status}: the check failed: ${error}`);
    });
    pending.add(checking);
    void checking.finally(() => pending.delete(checking));
    return response;
  };
  return {
    handler: wrapped,
    ledger: {
      failures,
      async assertDocumented() {
        while (pending.size > 0) await Promise.all(pending);
        if (failures.length > 0) {
          throw new Error(`Responses the OpenAPI document does not describe:\n${failures.join("\n")}`);
        }
      },
    },
  };
}
