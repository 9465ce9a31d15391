/**
 * The uniqueness key of an email address, part of the one email rule (./mod.ts): the store keys users by it,
 * so it sits below the store and the HTTP layer alike.
 */
import { asciiDomain } from "./mod.ts";

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
