/** `POST /v1/api-keys`: a new key for the caller's user, with scopes within the caller's. */
import { insufficientScope } from "../auth.ts";
import type { AuthedCall } from "../call.ts";
import { onlyFields, readJsonObject } from "../body.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../ids.ts";
import { HttpProblem, invalid, jsonResponse } from "../problem.ts";
import { TooManyApiKeysError } from "../store/types.ts";
import { KNOWN_SCOPES } from "../scopes.ts";
import { apiKeyRequestSchema } from "../spec/schemas.ts";
import { wireApiKey } from "../wire.ts";

const MAX_NAME = 100;

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

/** Creates an API key; its secret is in this response only. */
export async function createApiKey({ request, env, principal }: AuthedCall): Promise<Response> {
  const body = await readJsonObject(request);
  onlyFields(body, Object.keys(apiKeyRequestSchema.shape));
  const name = parseName(body.name);
  const scopes = parseScopes(body.scopes);
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
    now: env.now().toISOString(),
    maxActiveKeys: env.maxApiKeys,
  }).catch((error: unknown) => {
    if (!(error instanceof TooManyApiKeysError)) throw error;
    throw new HttpProblem(
      409,
      "CONFLICT",
      `API key limit reached: a user holds at most ${error.max} active keys (server option --max-api-keys)`,
    );
  });
  return jsonResponse(201, wireApiKey(key, secret), { location: `/v1/api-keys/${key.id}` });
}
