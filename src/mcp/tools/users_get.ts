import { z } from "zod";
import { parseUserId } from "../../commands/users/user_id.ts";
import { NotFoundError, quoted, ValidationError } from "../../errors.ts";
import { EmailRuleError, normalizeEmail } from "../../email/mod.ts";
import { defineTool, type McpTool } from "../tool.ts";
import { checkedString, userSchema } from "../schemas.ts";
import { userLine } from "./user_text.ts";

/** The `user_id` argument, checked as `phyware users get` checks USER_ID. */
export const userIdArgument = checkedString(parseUserId).describe("The user's id, such as usr_abc123");

/** An email argument, checked and normalised by the shared email rule. */
export const emailArgument = checkedString((raw) => {
  try {
    return normalizeEmail(raw);
  } catch (error) {
    if (!(error instanceof EmailRuleError)) throw error;
    throw new ValidationError(`Invalid email ${quoted(raw)}: ${error.message}`);
  }
});

/** `users_get`: one user with every detail. */
export const usersGet: McpTool = defineTool({
  name: "users_get",
  title: "Get a user",
  description: "Returns one user of the tenant with every detail: id, email, status, role, created_at, " +
    "invited_by, activated_at and deactivated_at. Give user_id, or email to find the user of an address " +
    "(any case; its pending or active user, else its latest inactive record). Needs the admin:users scope.",
  input: z.strictObject({
    user_id: userIdArgument.optional(),
    email: emailArgument.optional().describe("The user's email address, instead of user_id"),
  }).refine((args) => (args.user_id === undefined) !== (args.email === undefined), {
    message: "give exactly one of user_id and email",
  }),
  output: userSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ user_id, email }, session) {
    const user = email === undefined
      ? await session.users.get(user_id ?? "")
      : await session.users.findByEmail(email);
    if (user === undefined) {
      throw new NotFoundError("User not found", {
        remediation: `No user has the email ${quoted(email ?? "")}; call users_list with query to search`,
      });
    }
    return { structured: user, text: userLine(user) };
  },
});
