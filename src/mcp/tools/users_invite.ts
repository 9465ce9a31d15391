import { z } from "zod";
import { parseEmail } from "../../arguments/email.ts";
import { defineTool, type McpTool } from "../tool.ts";
import { checkedString, roleSchema, userSchema } from "../schemas.ts";
import { inline } from "./user_text.ts";

/** `users_invite`: creates a pending user and emails the invitation. */
export const usersInvite: McpTool = defineTool({
  name: "users_invite",
  title: "Invite a user",
  description: "Invites a person by email: creates a pending user (active once they accept) and sends the " +
    "invitation email. Role defaults to member. An email that already belongs to a pending or active user is " +
    "a CONFLICT error. Each call is one invitation: its retries reuse one Idempotency-Key, so a retry never " +
    "creates a second user. Needs the admin:users scope.",
  input: z.strictObject({
    email: checkedString(parseEmail).describe("Email address of the person to invite"),
    role: roleSchema.default("member").describe("Role of the new user, such as member or admin"),
  }),
  output: userSchema,
  // It emails someone outside the service: an open-world action.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run({ email, role }, session) {
    const user = await session.users.invite({ email, role }, crypto.randomUUID());
    return {
      structured: user,
      text:
        `Invited ${inline(user.email)} as ${inline(user.role)}: ${inline(user.id)}, ${inline(user.status)} ` +
        "until the invitation is accepted",
    };
  },
});
