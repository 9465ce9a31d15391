/** Every tool `phyware mcp` can offer, in the order tools/list gives them. */
export const TOOL_NAMES = [
  "users_list",
  "users_get",
  "users_invite",
  "users_deactivate",
  "users_resend_invite",
  "users_set_role",
  "events_list",
  "whoami",
] as const;

/** The name of one tool. */
export type ToolName = typeof TOOL_NAMES[number];

/** The tools that change nothing: what `--read-only` offers. */
export const READ_ONLY_TOOLS: ReadonlySet<ToolName> = new Set<ToolName>([
  "users_list",
  "users_get",
  "events_list",
  "whoami",
]);

/** Whether a string names a tool. */
export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}
