import { quoted, ValidationError } from "../../errors.ts";

/** Checks a USER_ID argument: not empty, no spaces or control characters. */
export function parseUserId(raw: string): string {
  // deno-lint-ignore no-control-regex
  if (raw === "" || /[\s\x00-\x1f\x7f]/.test(raw)) {
    throw new ValidationError(`Invalid USER_ID ${quoted(raw)}: expected an identifier such as usr_abc123`);
  }
  return raw;
}
