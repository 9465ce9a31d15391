import { quoted, ValidationError } from "../../../errors.ts";
import { containsSecret, looksLikeSecret, redactSecrets } from "../../../wire/mod.ts";

/** Checks a KEY_ID argument: one path segment of visible characters, such as key_abc123. */
export function parseKeyId(raw: string): string {
  // The key itself pasted where its id belongs is refused before it is sent in a URL (and so logged) or echoed.
  if (looksLikeSecret(raw)) {
    throw new ValidationError(
      `Invalid KEY_ID "${raw.slice(0, 4)}...": it looks like the key itself (a secret), not its id`,
      { remediation: "Give the key's id, such as key_abc123: phyware api-keys list prints the ids" },
    );
  }
  if (containsSecret(raw)) {
    throw new ValidationError(
      `Invalid KEY_ID ${quoted(redactSecrets(raw).slice(0, 80))}: it holds a key (a secret), not a key's id`,
      { remediation: "Give the key's id, such as key_abc123: phyware api-keys list prints the ids" },
    );
  }
  // deno-lint-ignore no-control-regex
  if (!/^[^\s\x00-\x1f\x7f/\\?#%]{1,256}$/.test(raw) || raw === "." || raw === "..") {
    throw new ValidationError(
      `Invalid KEY_ID ${quoted(raw.slice(0, 80))}: expected an identifier such as key_abc123`,
      {
        remediation: "List the keys with phyware api-keys list",
      },
    );
  }
  return raw;
}
