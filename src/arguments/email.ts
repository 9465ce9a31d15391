/** An email given on the command line, checked by the one email rule (src/email) and named by its flag. */
import { quotedInput, ValidationError } from "../errors.ts";
import { EmailRuleError, normalizeEmail } from "../email/mod.ts";

/** Checks the address with the server's own rule (src/email), so what passes here the server accepts. */
export function parseEmail(raw: string, flag = "--email"): string {
  try {
    return normalizeEmail(raw);
  } catch (error) {
    if (!(error instanceof EmailRuleError)) throw error;
    throw new ValidationError(`Invalid ${flag} ${quotedInput(raw)}: ${error.message}`);
  }
}
