/** `GET /openapi.json`: the OpenAPI document, built from the route table on first request. */
import { jsonTextResponse } from "../problem.ts";
import type { PathEntry } from "../spec/endpoint.ts";
import { buildOpenApi } from "../spec/openapi.ts";

const documents = new WeakMap<readonly PathEntry[], string>();

/** Serves the document of `routes`. */
export function openApiDocument(routes: readonly PathEntry[]): Response {
  let text = documents.get(routes);
  if (text === undefined) {
    text = JSON.stringify(buildOpenApi(routes));
    documents.set(routes, text);
  }
  return jsonTextResponse(200, text, { "cache-control": "no-cache" });
}
