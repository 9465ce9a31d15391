/** The service's email address rules. */
import { invalid } from "./problem.ts";

const MAX_EMAIL = 254;
const MAX_LOCAL = 64;
// Controls (CR, LF, NUL, DEL...), invisible format characters and any whitespace inside the address.
const FORBIDDEN = /[\p{Cc}\p{Cf}\s]/u;
// Address-list syntax: with any of these a mail library may read one "address" as several recipients
// (`x,attacker@evil.test`, `bob@corp.test>attacker`) or as a quoted or commented form.
const LOCAL_SPECIALS = /[,;<>()[\]"\\:\s]/u;
// A domain label: letters (any script) and digits, inner hyphens; combining marks after the first letter.
const LABEL = /^[\p{L}\p{Nd}](?:[\p{L}\p{M}\p{Nd}-]*[\p{L}\p{M}\p{Nd}])?$/u;

const octets = (text: string) => new TextEncoder().encode(text).byteLength;
// For ASCII text octets and characters are the same; say "characters" then, which everyone reads right.
const unit = (text: string) => /^\p{ASCII}*$/u.test(text) ? "characters" : "octets in UTF-8";

/**
 * The uniqueness key of an email: NFKC then lower case, so addresses that differ only in Unicode
 * normalisation, compatibility forms or case are one user.
 */
export function emailKey(email: string): string {
  return email.normalize("NFKC").toLowerCase();
}

/**
 * Checks, trims and NFC-normalises an email: one `@`, at most 254 octets in UTF-8, local part at most 64,
 * no controls, no address-list syntax, a domain of letter/digit labels.
 */
export function parseEmail(value: unknown): string {
  if (value === undefined) throw invalid('Missing field "email"');
  if (typeof value !== "string") throw invalid('Invalid "email": not a string');
  // Trim only spaces and tabs: CR, LF and other controls are rejected, never silently removed.
  // NFC: "café" typed with a combining accent is stored as the same text as with a precomposed one.
  const email = value.replace(/^[ \t]+|[ \t]+$/g, "").normalize("NFC");
  if (email === "") throw invalid('Invalid "email": empty');
  if (FORBIDDEN.test(email)) throw invalid('Invalid "email": contains a control or space character');
  // RFC 5321 limits are in octets on the wire, and a non-ASCII address travels as UTF-8 (SMTPUTF8).
  if (octets(email) > MAX_EMAIL) throw invalid(`Invalid "email": longer than ${MAX_EMAIL} ${unit(email)}`);
  const shown = JSON.stringify(email);
  const at = email.indexOf("@");
  if (at < 0) throw invalid(`Invalid "email" ${shown}: no "@"`);
  if (email.indexOf("@", at + 1) >= 0) throw invalid(`Invalid "email" ${shown}: more than one "@"`);
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === "") throw invalid(`Invalid "email" ${shown}: empty local part`);
  if (octets(local) > MAX_LOCAL) {
    throw invalid(`Invalid "email": local part longer than ${MAX_LOCAL} ${unit(local)}`);
  }
  const special = LOCAL_SPECIALS.exec(local);
  if (special) {
    throw invalid(
      `Invalid "email" ${shown}: the local part may not contain ${JSON.stringify(special[0])}` +
        ' (none of , ; < > ( ) [ ] " \\ : or spaces)',
    );
  }
  if (domain === "" || !domain.split(".").every((label) => LABEL.test(label))) {
    throw invalid(
      `Invalid "email" ${shown}: bad domain (expected dot-separated labels of letters, digits and inner hyphens)`,
    );
  }
  return email;
}
