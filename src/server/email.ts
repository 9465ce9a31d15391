/** The service's side of the email rule (src/email): the field's errors and the uniqueness key. */
import { asciiDomain, EmailRuleError, normalizeEmail } from "../email/mod.ts";
import { invalid } from "./problem.ts";

/**
 * The uniqueness key of an email: NFKC then lower case, so addresses that differ only in Unicode
 * normalisation, compatibility forms or case are one user; the domain in its A-label form, so
 * `z@münchen.example` and `z@xn--mnchen-3ya.example` are one mailbox.
 */
export function emailKey(email: string): string {
  const folded = email.normalize("NFKC").toLowerCase();
  const at = folded.lastIndexOf("@");
  if (at < 0) return folded;
  // A stored address from before the A-label rule may have no such form: keep its folded text then.
  const domain = asciiDomain(folded.slice(at + 1)) || folded.slice(at + 1);
  return `${folded.slice(0, at + 1)}${domain}`;
}

/** The `email` field of a request, checked and normalised by the shared rule; 400 otherwise. */
export function parseEmail(value: unknown): string {
  if (value === undefined) throw invalid('Missing field "email"');
  if (typeof value !== "string") throw invalid('Invalid "email": not a string');
  try {
    return normalizeEmail(value);
  } catch (error) {
    if (!(error instanceof EmailRuleError)) throw error;
    const shown = error.address === undefined ? "" : ` ${JSON.stringify(error.address)}`;
    throw invalid(`Invalid "email"${shown}: ${error.message}`);
  }
}
