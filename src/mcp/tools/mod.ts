import type { McpTool } from "../tool.ts";
import type { ToolName } from "../tool_names.ts";
import { eventsList } from "./events_list.ts";
import { usersDeactivate } from "./users_deactivate.ts";
import { usersGet } from "./users_get.ts";
import { usersInvite } from "./users_invite.ts";
import { usersList } from "./users_list.ts";
import { usersResendInvite } from "./users_resend_invite.ts";
import { usersSetRole } from "./users_set_role.ts";
import { whoami } from "./whoami.ts";

/** Every tool, by name. */
export const TOOLS: Readonly<Record<ToolName, McpTool>> = {
  users_list: usersList,
  users_get: usersGet,
  users_invite: usersInvite,
  users_deactivate: usersDeactivate,
  users_resend_invite: usersResendInvite,
  users_set_role: usersSetRole,
  events_list: eventsList,
  whoami,
};
