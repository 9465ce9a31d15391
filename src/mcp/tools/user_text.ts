import type { UserDetails } from "../../api/types.ts";

const UNSAFE = /[\p{Cc}\u2028\u2029]/gu;
const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Server text (an email, a message, a cursor) as data inside a tool's text: control characters and line
 * separators escaped as in JSON (`\n`, `\u001b`), so a value can never start a line or an instruction of its
 * own. The structured content keeps the value as it is.
 */
export function inline(text: string): string {
  return text.replace(
    UNSAFE,
    (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A user as one line of text: id, email, status and role, as `phyware users list` prints them. */
export function userLine(user: UserDetails): string {
  return [user.id, user.email, user.status, user.role].map(inline).join("  ");
}
