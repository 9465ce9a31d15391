import { z } from "zod";
import { parseUserId } from "../../commands/users/user_id.ts";
import { defineTool, type McpTool } from "../tool.ts";
import { checkedString, userSchema } from "../schemas.ts";
import { userLine } from "./user_text.ts";

/** The `user_id` argument, checked as `phyware users get` checks USER_ID. */
export const userIdArgument = checkedString(parseUserId).describe("The user's id, such as usr_abc123");

/** `users_get`: one user with every detail. */
export const usersGet: McpTool = defineTool({
  name: "users_get",
  title: "Get a user",
  description: "Returns one user of the tenant with every detail: id, email, status, role, created_at, " +
    "invited_by, activated_at and deactivated_at. Needs the admin:users scope.",
  input: z.strictObject({ user_id: userIdArgument }),
  output: userSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ user_id }, session) {
    const user = await session.users.get(user_id);
    return { structured: user, text: userLine(user) };
  },
});
