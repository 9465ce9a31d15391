import { z } from "zod";
import { defineTool, type McpTool } from "../tool.ts";
import { roleSchema, userIdArgument, userSchema } from "../schemas.ts";
import { inline } from "./user_text.ts";

/** `users_set_role`: gives a user another role. */
export const usersSetRole: McpTool = defineTool({
  name: "users_set_role",
  title: "Change a user's role",
  description:
    "Gives a pending or active user another role (member or admin) and returns the user. Setting " +
    "the role a user already has changes nothing and succeeds. The tenant's last active admin cannot be " +
    "demoted, and an inactive user's role cannot change (both CONFLICT errors). A demoted admin's API keys " +
    "that carry admin:users are revoked. Needs the admin:users scope.",
  input: z.strictObject({
    user_id: userIdArgument,
    role: roleSchema.transform((role) => role.toLowerCase()).describe("The new role: member or admin"),
  }),
  output: userSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ user_id, role }, session) {
    const before = await session.users.get(user_id);
    const user = await session.users.setRole(user_id, role, crypto.randomUUID());
    const who = `${inline(user.email)} (${inline(user.id)})`;
    return {
      structured: user,
      text: before.role === user.role
        ? `${who} already had the role ${inline(user.role)}; nothing changed`
        : `${who} is now ${inline(user.role)} (was ${inline(before.role)})`,
    };
  },
});
