/** Random identifiers, secrets and their hashes. */
import { createHash, randomFillSync } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolPos = POOL_SIZE;

function randomByte(): number {
  if (poolPos >= POOL_SIZE) {
    randomFillSync(pool);
    poolPos = 0;
  }
  return pool[poolPos++] as number;
}

/** Returns `length` uniformly random base62 characters (about 5.95 bits each). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const b = randomByte();
    // Rejection sampling keeps the characters uniform: 248 = 4 * 62.
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}

/** Length of the random part of an identifier (about 131 bits, never sequential). */
export const ID_LENGTH = 22;
/** Length of the random part of a secret (about 256 bits). */
export const SECRET_LENGTH = 43;

/** A new random identifier such as `usr_3hV...`. */
export function newId(prefix: "usr" | "ten" | "key" | "ses" | "inv" | "req" | "evt"): string {
  return `${prefix}_${randomBase62(ID_LENGTH)}`;
}

/** Prefixes of the secrets the service issues. */
export const SECRET_PREFIX = { apiKey: "phy_", session: "phs_", invitation: "phi_" } as const;

/** A new random secret: an API key, session token or invitation token. */
export function newSecret(prefix: typeof SECRET_PREFIX[keyof typeof SECRET_PREFIX]): string {
  return prefix + randomBase62(SECRET_LENGTH);
}

/** SHA-256 of a secret, hex encoded; secrets are high-entropy, so no slow KDF is needed. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

const ID_PATTERN = new RegExp(`^usr_[0-9A-Za-z]{${ID_LENGTH}}$`);

/** Whether a string has the shape of a user id. */
export function isUserId(value: string): boolean {
  return ID_PATTERN.test(value);
}
