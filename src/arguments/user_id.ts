import { quoted, ValidationError } from "../errors.ts";
import { looksLikeSecret } from "../wire/mod.ts";

/** Longest USER_ID accepted; real ids are far shorter. */
export const MAX_USER_ID_LENGTH = 256;

/** Checks a USER_ID argument: one path segment of visible characters, so it can only name a user. */
export function parseUserId(raw: string): string {
  // A pasted API key or token is refused before it is sent (and so logged) or echoed.
  if (looksLikeSecret(raw)) {
    throw new ValidationError(
      `Invalid USER_ID "${raw.slice(0, 4)}...": it looks like a secret (an API key or token), not a user id`,
      { remediation: "Give the user's id, such as usr_abc123: phyware users list prints the ids" },
    );
  }
  const fail = (why: string) => new ValidationError(`Invalid USER_ID ${quoted(raw.slice(0, 80))}: ${why}`);
  // deno-lint-ignore no-control-regex
  if (raw === "" || /[\s\x00-\x1f\x7f]/.test(raw)) throw fail("expected an identifier such as usr_abc123");
  if (raw === "." || raw === ".." || /[/\\?#%]/.test(raw)) {
    throw fail("an identifier has no '/', '\\', '?', '#' or '%' and is not '.' or '..'");
  }
  if (raw.length > MAX_USER_ID_LENGTH) throw fail(`longer than ${MAX_USER_ID_LENGTH} characters`);
  return raw;
}
