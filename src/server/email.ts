/** The service's side of the email rule (src/email): the `email` field of a request and its errors. */
import { EmailRuleError, normalizeEmail } from "../email/mod.ts";
import { invalid } from "./problem.ts";

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
