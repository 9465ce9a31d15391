import { z } from "zod";
import { defineTool, type McpTool } from "../tool.ts";
import { userIdArgument, userSchema } from "../schemas.ts";
import { userLine } from "./user_text.ts";

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
