/** The service's email address rules. */
import { invalid } from "./problem.ts";

const MAX_EMAIL = 254;
const MAX_LOCAL = 64;
// Controls (CR, LF, NUL, DEL...), invisible format characters and any whitespace inside the address.
const FORBIDDEN = /[\p{Cc}\p{Cf}\s]/u;

/** Checks and trims an email: one `@`, at most 254 characters, local part at most 64, no controls. */
export function parseEmail(value: unknown): string {
  if (value === undefined) throw invalid('Missing field "email"');
  if (typeof value !== "string") throw invalid('Invalid "email": not a string');
  // Trim only spaces and tabs: CR, LF and other controls are rejected, never silently removed.
  const email = value.replace(/^[ \t]+|[ \t]+$/g, "");
  if (email === "") throw invalid('Invalid "email": empty');
  if (FORBIDDEN.test(email)) throw invalid('Invalid "email": contains a control or space character');
  if (email.length > MAX_EMAIL) throw invalid(`Invalid "email": longer than ${MAX_EMAIL} characters`);
  const at = email.indexOf("@");
  if (at < 0) throw invalid(`Invalid "email" ${JSON.stringify(email)}: no "@"`);
  if (email.indexOf("@", at + 1) >= 0) {
    throw invalid(`Invalid "email" ${JSON.stringify(email)}: more than one "@"`);
  }
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === "") throw invalid(`Invalid "email" ${JSON.stringify(email)}: empty local part`);
  if (local.length > MAX_LOCAL) {
    throw invalid(`Invalid "email": local part longer than ${MAX_LOCAL} characters`);
  }
  if (domain === "" || domain.startsWith(".") || domain.endsWith(".") || domain.includes("..")) {
    throw invalid(`Invalid "email" ${JSON.stringify(email)}: bad domain`);
  }
  return email;
}
