/** Opaque, signed pagination cursors bound to a tenant and a set of filters. */
import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";
import { invalid } from "./problem.ts";

/** What a cursor is bound to besides its position. */
export interface CursorScope {
  tenantId: string;
  status: string | undefined;
  role: string | undefined;
}

function mac(secret: string, scope: CursorScope, seq: number): Buffer {
  return createHmac("sha256", secret)
    .update(`v1\n${scope.tenantId}\n${scope.status ?? ""}\n${scope.role ?? ""}\n${seq}`)
    .digest()
    .subarray(0, 16);
}

/** Encodes the position after `seq` as a cursor valid only for this tenant and these filters. */
export function encodeCursor(secret: string, scope: CursorScope, seq: number): string {
  const payload = Buffer.alloc(8 + 16);
  payload.writeBigUInt64BE(BigInt(seq));
  mac(secret, scope, seq).copy(payload, 8);
  return payload.toString("base64url");
}

/** Decodes a cursor; a tampered one, or one from another tenant or other filters, is a 400. */
export function decodeCursor(secret: string, scope: CursorScope, cursor: string): number {
  const bad = () => invalid(`Invalid "cursor": not a cursor of this listing; start again without it`);
  if (!/^[A-Za-z0-9_-]{32}$/.test(cursor)) throw bad();
  const payload = Buffer.from(cursor, "base64url");
  if (payload.byteLength !== 24) throw bad();
  const big = payload.readBigUInt64BE(0);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw bad();
  const seq = Number(big);
  if (!timingSafeEqual(payload.subarray(8), mac(secret, scope, seq))) throw bad();
  return seq;
}
