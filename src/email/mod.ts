/**
 * The one email address rule of phyware, shared by the CLI (`users invite --email`) and the server
 * (`POST /v1/users`), so an address one accepts the other accepts too. It depends on nothing but
 * `node:url`; each side wraps EmailRuleError in its own error.
 */

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

/** An address the rule refuses: `message` says why, without naming the field. */
export class EmailRuleError extends Error {
  /** The address as checked (trimmed, NFC), when quoting it helps; absent for empty or overlong input. */
  readonly address: string | undefined;

  constructor(reason: string, address?: string) {
    super(reason);
    this.name = "EmailRuleError";
    this.address = address;
  }
}

/**
 * Checks, trims and NFC-normalises an email: one `@`, at most 254 octets in UTF-8, local part at most 64,
 * no controls or lone surrogates, no address-list syntax, a domain of letter/digit labels that has an
 * A-label (IDNA) form. Throws EmailRuleError.
 */
export function normalizeEmail(value: string): string {
  // Trim only spaces and tabs: CR, LF and other controls are rejected, never silently removed.
  // NFC: "café" typed with a combining accent is stored as the same text as with a precomposed one.
  const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, "");
  if (!trimmed.isWellFormed()) throw new EmailRuleError("contains a lone UTF-16 surrogate");
  const email = trimmed.normalize("NFC");
  if (email === "") throw new EmailRuleError("empty");
  if (FORBIDDEN.test(email)) throw new EmailRuleError("contains a control or space character");
  // RFC 5321 limits are in octets on the wire, and a non-ASCII address travels as UTF-8 (SMTPUTF8).
  if (octets(email) > MAX_EMAIL) throw new EmailRuleError(`longer than ${MAX_EMAIL} ${unit(email)}`);
  const at = email.indexOf("@");
  if (at < 0) throw new EmailRuleError('no "@"', email);
  if (email.indexOf("@", at + 1) >= 0) throw new EmailRuleError('more than one "@"', email);
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === "") throw new EmailRuleError("empty local part", email);
  if (octets(local) > MAX_LOCAL) {
    throw new EmailRuleError(`local part longer than ${MAX_LOCAL} ${unit(local)}`);
  }
  const special = LOCAL_SPECIALS.exec(local);
  if (special) {
    throw new EmailRuleError(
      `the local part may not contain ${
        JSON.stringify(special[0])
      } (none of , ; < > ( ) [ ] " \\ : or spaces)`,
      email,
    );
  }
  if (domain === "" || !domain.split(".").every((label) => LABEL.test(label)) || asciiDomain(domain) === "") {
    throw new EmailRuleError(
      "bad domain (expected dot-separated labels of letters, digits and inner hyphens)",
      email,
    );
  }
  return email;
}

/** The A-label (IDNA, lower case) form of a domain: `münchen.example` is `xn--mnchen-3ya.example`; "" if none. */
export function asciiDomain(domain: string): string {
  // node:url is loaded on use: `users get` and `users list` import this rule for their address argument, and
  // evaluating node:url costs Bun 250 page faults, a third of a `users get` above its floor (bench/startup.ts).
  return globalThis.process.getBuiltinModule("node:url").domainToASCII(domain);
}
