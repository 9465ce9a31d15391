import { z } from "zod";
import { NotFoundError, quoted } from "../../errors.ts";
import { defineTool, type McpTool } from "../tool.ts";
import { emailArgument, userIdArgument, userSchema } from "../schemas.ts";
import { userLine } from "./user_text.ts";

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
