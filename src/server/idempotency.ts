/** `Idempotency-Key` handling for POSTs: replay a stored response, refuse a reused key with another body. */
import { createHash } from "node:crypto";
import { HttpProblem, invalid, jsonTextResponse } from "./problem.ts";
import type { IdempotencyWrite, Principal, Store, StoredResponse, UserRecord } from "./store/types.ts";

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Reads the `Idempotency-Key` header; undefined when absent. */
export function idempotencyKey(request: Request): string | undefined {
  const key = request.headers.get("idempotency-key");
  if (key === null) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw invalid('Invalid "Idempotency-Key" header: expected 1 to 255 visible ASCII characters');
  }
  return key;
}

/** Fingerprint of a request: method, path and the validated body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${path}\n${JSON.stringify(body)}`).digest("hex");
}

/** The response to give for a stored one: a replay, or 422 when the body differs. */
export function replay(stored: StoredResponse, hash: string): Response {
  if (stored.requestHash !== hash) {
    throw new HttpProblem(
      422,
      "VALIDATION_ERROR",
      "Idempotency-Key was already used with a different request: use a new key",
    );
  }
  const headers: Record<string, string> = { "idempotent-replayed": "true" };
  // The one idempotent write answered 201 is an invitation: its replay names the user as the first answer did.
  if (stored.status === 201) headers.location = `/v1/users/${(JSON.parse(stored.body) as { id: string }).id}`;
  return jsonTextResponse(stored.status, stored.body, headers);
}

/** The record to keep with the write, when the request has a key. */
export function idempotencyWrite(
  key: string | undefined,
  principal: Principal,
  hash: string,
  status: number,
  now: Date,
  render: (user: UserRecord) => string,
): IdempotencyWrite | undefined {
  if (key === undefined) return undefined;
  return {
    credentialId: principal.credentialId,
    key,
    requestHash: hash,
    status,
    expiredBefore: new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString(),
    render,
  };
}

/**
 * The pre-check of an idempotent write, before any work: the stored response of a repeated request (or the
 * 422 of a key reused with another body), or undefined when the write should go ahead. The store checks
 * again inside the write's transaction, so two racing requests with one key still write once.
 */
export async function storedReply(
  store: Store,
  idem: IdempotencyWrite | undefined,
): Promise<Response | undefined> {
  if (idem === undefined) return undefined;
  const prior = await store.findIdempotent(idem.credentialId, idem.key, idem.expiredBefore);
  return prior ? replay(prior, idem.requestHash) : undefined;
}
