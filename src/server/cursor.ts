/**
 * Opaque pagination cursors: the position is encrypted (AES-256-GCM), and the tenant and filters are the
 * authenticated data, so a cursor reveals nothing (not even the table-wide row number) and works only in
 * the listing it came from.
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { invalid } from "./problem.ts";

/** What a cursor is bound to besides its position. */
export interface CursorScope {
  tenantId: string;
  status: string | undefined;
  role: string | undefined;
  /** The `email` filter's key, when the listing has one. */
  emailKey?: string | undefined;
  /** The `q` filter's folded text, when the listing has one. */
  contains?: string | undefined;
  /** The listing and its other filters, for listings other than users (absent for users). */
  listing?: string | undefined;
}

const NONCE = 12;
const TAG = 16;
const SEQ = 8;
const LENGTH = NONCE + SEQ + TAG;
const SHAPE = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((LENGTH * 4) / 3)}}$`);

const keys = new Map<string, Buffer>();

// A key of its own for cursors, derived from the stored secret, so the secret is never used directly.
function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "", "phyware cursor v2 aes-256-gcm", 32));
    keys.set(secret, key);
  }
  return key;
}

function aad(scope: CursorScope): Buffer {
  const base = `v2\n${scope.tenantId}\n${scope.status ?? ""}\n${scope.role ?? ""}`;
  // Listings without the email filters keep the data their cursors were always bound to.
  const filtered = scope.emailKey === undefined && scope.contains === undefined
    ? base
    : `${base}\n${JSON.stringify([scope.emailKey ?? null, scope.contains ?? null])}`;
  // Other listings (API keys, events) are named, so a cursor of one is no cursor of another.
  return Buffer.from(scope.listing === undefined ? filtered : `${filtered}\n${scope.listing}`);
}

/** Encodes the position after `seq` as a cursor valid only for this tenant and these filters. */
export function encodeCursor(secret: string, scope: CursorScope, seq: number): string {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), nonce, { authTagLength: TAG });
  cipher.setAAD(aad(scope));
  const plain = Buffer.alloc(SEQ);
  plain.writeBigUInt64BE(BigInt(seq));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** Decodes a cursor; a tampered one, or one from another tenant or other filters, is a 400. */
export function decodeCursor(secret: string, scope: CursorScope, cursor: string): number {
  const bad = () => invalid(`Invalid "cursor": not a cursor of this listing; start again without it`);
  if (!SHAPE.test(cursor)) throw bad();
  const payload = Buffer.from(cursor, "base64url");
  if (payload.byteLength !== LENGTH) throw bad();
  let plain: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), payload.subarray(0, NONCE), {
      authTagLength: TAG,
    });
    decipher.setAAD(aad(scope));
    decipher.setAuthTag(payload.subarray(NONCE + SEQ));
    plain = Buffer.concat([decipher.update(payload.subarray(NONCE, NONCE + SEQ)), decipher.final()]);
  } catch {
    throw bad();
  }
  const big = plain.readBigUInt64BE(0);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw bad();
  return Number(big);
}
