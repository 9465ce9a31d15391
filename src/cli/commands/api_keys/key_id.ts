import { quoted, ValidationError } from "../../../errors.ts";

/** Checks a KEY_ID argument: one path segment of visible characters, such as key_abc123. */
export function parseKeyId(raw: string): string {
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
