import { z } from "zod";
import { defineTool, type McpTool } from "../tool.ts";
import { userIdArgument, userSchema } from "../schemas.ts";
import { inline } from "./user_text.ts";

/** `users_resend_invite`: a new invitation email for a pending user. */
export const usersResendInvite: McpTool = defineTool({
  name: "users_resend_invite",
  title: "Resend an invitation",
  description: "Sends a pending user a new invitation email with a new link valid for 7 days; the previous " +
    "link stops working. A user who is not pending (already active, or inactive) is a CONFLICT error. Each " +
    "call is one resend: its retries reuse one Idempotency-Key. Needs the admin:users scope.",
  input: z.strictObject({ user_id: userIdArgument }),
  output: userSchema,
  // It emails someone outside the service, and each call sends another email.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run({ user_id }, session) {
    const user = await session.users.resendInvitation(user_id, crypto.randomUUID());
    return { structured: user, text: `Sent ${inline(user.email)} (${inline(user.id)}) a new invitation` };
  },
});
