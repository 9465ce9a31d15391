/** Reading JSON request bodies: content type, size limit and syntax. */
import { HttpProblem, invalid } from "./problem.ts";

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Deepest nesting of arrays and objects accepted in a JSON body (no request of the API needs more than 2). */
export const MAX_BODY_DEPTH = 64;

// The unread rest of the body would otherwise keep the connection busy, so ask to close it.
const tooLarge = () =>
  new HttpProblem(413, "VALIDATION_ERROR", `Request body is larger than ${MAX_BODY_BYTES} bytes`, {
    connection: "close",
  });

/** The body could not be read to its end: the client went away mid-request. */
export class ClientDisconnectedError extends Error {
  constructor(cause: unknown) {
    super(
      `Client disconnected while sending the body: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = "ClientDisconnectedError";
  }
}

// A read of the request stream fails only when its connection does (Deno: "underlying resource unavailable",
// Bun: "The connection was closed").
async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (error) {
    throw new ClientDisconnectedError(error);
  }
}

async function readLimited(request: Request): Promise<Uint8Array> {
  const length = request.headers.get("content-length");
  if (length !== null && Number(length) > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await readChunk(reader);
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

function isJsonType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [type, ...params] = contentType.split(";").map((part) => part.trim().toLowerCase());
  if (type !== "application/json") return false;
  return params.every((p) => !p.startsWith("charset=") || p === "charset=utf-8" || p === 'charset="utf-8"');
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Reads a JSON object body: 415 unless application/json, 413 above 64 KiB, 400 unless an object. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  if (!isJsonType(request.headers.get("content-type"))) {
    throw new HttpProblem(
      415,
      "VALIDATION_ERROR",
      "Request body must be JSON: send Content-Type: application/json",
    );
  }
  const bytes = await readLimited(request);
  if (bytes.byteLength === 0) throw invalid("Request body is empty: expected a JSON object");
  let value: unknown;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw invalid("Request body is not valid JSON");
  }
  // Checked before parsing: the checks below walk the value, and a deep one would cost CPU and stack.
  if (nestingDepth(text) > MAX_BODY_DEPTH) {
    throw invalid(`Request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  }
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid("Request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("Request body must be a JSON object");
  }
  const field = illFormedField(value, "");
  if (field !== undefined) {
    throw invalid(`Invalid ${JSON.stringify(field)}: contains a lone UTF-16 surrogate (a broken \\u escape)`);
  }
  return value as Record<string, unknown>;
}

/** The deepest nesting of `[` and `{` in JSON text (outside strings), in one pass with no recursion. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

// JSON's \u escapes can spell half of a surrogate pair, which is no text at all: SQLite would store it as
// U+FFFD. Returns the field (or member name) holding one, wherever it is nested (at most MAX_BODY_DEPTH
// levels, checked before: the recursion is bounded).
function illFormedField(value: unknown, field: string): string | undefined {
  if (typeof value === "string") return value.isWellFormed() ? undefined : field;
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, member] of Object.entries(value)) {
    if (!key.isWellFormed()) return key;
    const found = illFormedField(member, Array.isArray(value) ? field : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Rejects a body with members other than `allowed`. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw invalid(
        `Unknown field ${JSON.stringify(key)}: only ${allowed.map((a) => `"${a}"`).join(", ")} allowed`,
      );
    }
  }
}

/** Discards a body the route does not read, rejecting one above the size limit. */
export async function discardBody(request: Request): Promise<void> {
  await readLimited(request);
}
