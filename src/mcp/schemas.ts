/** The zod schemas the tools share: a user, a tool error, and arguments checked by the CLI's own parsers. */
import { z } from "zod";
import { STATUSES } from "../api/types.ts";
import { ValidationError } from "../errors.ts";
import { parseUserId } from "../arguments/user_id.ts";
import { parseEmail } from "../arguments/email.ts";

/** A user with every detail the server returns (the spec's four fields first). */
export const userSchema = z.strictObject({
  id: z.string().describe("User identifier, such as usr_abc123"),
  email: z.string().describe("User email address"),
  status: z.enum(STATUSES).describe(
    "pending until the invitation is accepted, then active; inactive once deactivated",
  ),
  role: z.string().describe("User role, such as member or admin"),
  created_at: z.string().describe("When the user was invited (ISO 8601)"),
  invited_by: z.string().nullable().describe("Id of the user who sent the invitation"),
  activated_at: z.string().nullable().describe("When the invitation was accepted"),
  deactivated_at: z.string().nullable().describe("When the user was deactivated"),
});

/** The structured content of a tool result with `isError: true`. */
export const toolErrorSchema = z.strictObject({
  code: z.string().describe(
    "The service's error code (NOT_FOUND, CONFLICT, FORBIDDEN, ...) or phyware's own",
  ),
  message: z.string().describe("What went wrong, in the spec's words"),
  remediation: z.string().nullable().describe("What to do about it"),
  exit_code: z.int().describe("The exit code `phyware users` would have ended with (1 to 5)"),
  request_id: z.string().nullable().describe("The service's request id, for support"),
}).describe("A PhyCloud error (the result has isError: true)");

/** The values of a tool error. */
export type ToolErrorContent = z.output<typeof toolErrorSchema>;

/** A string argument checked, and normalised, by one of the CLI's parsers, so both refuse the same values. */
export function checkedString(
  parse: (raw: string) => string,
): z.ZodPipe<z.ZodString, z.ZodTransform<string, string>> {
  return z.string().transform((raw, ctx) => {
    try {
      return parse(raw);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      ctx.issues.push({ code: "custom", message: error.message, input: raw });
      return z.NEVER;
    }
  });
}

/** The `user_id` argument, checked as `phyware users get` checks USER_ID. */
export const userIdArgument = checkedString(parseUserId).describe("The user's id, such as usr_abc123");

/** A non-empty role name. */
export const roleSchema: z.ZodString = z.string().trim().min(1, "must not be empty");

/** An `email` argument, checked and normalised by the one email rule, as the CLI checks --email. */
export const emailArgument = checkedString((raw) => parseEmail(raw, "email"));
