import { quoted, ValidationError } from "../errors.ts";
import { containsSecret, looksLikeSecret, redactSecrets } from "../wire/mod.ts";

/** Longest USER_ID accepted; real ids are far shorter. */
export const MAX_USER_ID_LENGTH = 256;

/**
 * Why `raw` cannot be a USER_ID, in words that do not repeat it (a file's line is never echoed); undefined
 * when it can be one. A secret is not caught here: parseUserId and the id file each refuse it first.
 */
export function userIdProblem(raw: string): string | undefined {
  // deno-lint-ignore no-control-regex
  if (raw === "" || /[\s\x00-\x1f\x7f]/.test(raw)) return "expected an identifier such as usr_abc123";
  if (raw === "." || raw === ".." || /[/\\?#%]/.test(raw)) {
    return "an identifier has no '/', '\\', '?', '#' or '%' and is not '.' or '..'";
  }
  if (raw.length > MAX_USER_ID_LENGTH) return `longer than ${MAX_USER_ID_LENGTH} characters`;
  return undefined;
}

/** Checks a USER_ID argument: one path segment of visible characters, so it can only name a user. */
export function parseUserId(raw: string): string {
  // A pasted API key or token is refused before it is sent (and so logged) or echoed.
  if (looksLikeSecret(raw)) {
    throw new ValidationError(
      `Invalid USER_ID "${raw.slice(0, 4)}...": it looks like a secret (an API key or token), not a user id`,
      { remediation: "Give the user's id, such as usr_abc123: phyware users list prints the ids" },
    );
  }
  if (containsSecret(raw)) {
    throw new ValidationError(
      `Invalid USER_ID ${
        quoted(redactSecrets(raw).slice(0, 80))
      }: it holds a secret (an API key or token), not a user id`,
      { remediation: "Give the user's id, such as usr_abc123: phyware users list prints the ids" },
    );
  }
  const problem = userIdProblem(raw);
  if (problem !== undefined) {
    throw new ValidationError(`Invalid USER_ID ${quoted(raw.slice(0, 80))}: ${problem}`);
  }
  return raw;
}
