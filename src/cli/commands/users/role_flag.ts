/** `--role` of the users verbs, checked against the contract's roles so an error names the flag. */
import { quotedInput, ValidationError } from "../../../errors.ts";
import { type Role, ROLES } from "../../../wire/mod.ts";

/** `--role`, declared once; each verb derives its help, and invite its default (`{ ...ROLE_FLAG, help }`). */
export const ROLE_FLAG = {
  long: "--role",
  value: "role",
  help: "a role: member or admin (the server decides which it accepts)",
} as const;

/**
 * Parses a role: trimmed and lower-cased (`Admin` typed by a person means admin), one of the contract's roles.
 *
 * @example parseRole(" Admin ") // "admin"
 */
export function parseRole(raw: string, flag = "--role"): Role {
  const role = raw.trim().toLowerCase();
  if (role === "") throw new ValidationError(`Invalid ${flag} ${quotedInput(raw)}: must not be empty`);
  const known = ROLES.find((r) => r === role);
  if (known === undefined) {
    throw new ValidationError(
      `Invalid ${flag} ${quotedInput(raw)}: expected one of ${ROLES.map((r) => `"${r}"`).join(", ")}`,
    );
  }
  return known;
}
