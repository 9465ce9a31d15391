import { z } from "zod";
import { defineTool, type McpTool } from "../tool.ts";
import { userIdArgument, userSchema } from "../schemas.ts";
import { inline } from "./user_text.ts";

/** `users_deactivate`: the destructive one. */
export const usersDeactivate: McpTool = defineTool({
  name: "users_deactivate",
  title: "Deactivate a user",
  description: "Deactivates a user: their status becomes inactive and every session, API key and open " +
    "invitation of theirs is revoked at once. This is irreversible through phyware: no tool or command " +
    "reactivates a user (re-inviting the email creates a new user). Deactivating an already inactive user " +
    "changes nothing and succeeds. The tenant's last active admin cannot be deactivated. Needs the " +
    "admin:users scope.",
  input: z.strictObject({ user_id: userIdArgument }),
  output: userSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ user_id }, session) {
    // Read first, so the text can say whether this call changed anything (the answer is the same user).
    const before = await session.users.get(user_id);
    const user = await session.users.deactivate(user_id, crypto.randomUUID());
    const since = user.deactivated_at ?? "now";
    return {
      structured: user,
      text: before.status === "inactive"
        ? `${inline(user.email)} (${inline(user.id)}) was already inactive (since ${
          inline(since)
        }); nothing changed`
        : `Deactivated ${inline(user.email)} (${inline(user.id)}): inactive since ${
          inline(since)
        }; its sessions, ` +
          "API keys and open invitations are revoked",
    };
  },
});
