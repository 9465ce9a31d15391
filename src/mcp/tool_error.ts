// The SDK's exports map gives types for this subpath only without ".js".
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { errorLine, toPhywareError } from "../error_report.ts";
import { PhywareError, withRemediation } from "../errors.ts";
import type { ToolErrorContent } from "./schemas.ts";
import { inline } from "./tools/user_text.ts";

/**
 * Remediations that name a CLI command or argument where a tool (and its argument) does the same; an agent
 * calls tools, it does not run phyware.
 */
const TOOL_REMEDIATIONS: ReadonlyArray<[RegExp, string]> = [
  [/^Check USER_ID$/, "Check user_id: users_list gives the ids"],
  [
    /^Invite another admin first \(phyware users invite .*\)/,
    "Invite another admin first (users_invite with role admin) and have them accept",
  ],
  [
    /^Promote one with phyware users set-role USER_ID --role admin, then try again$/,
    "Promote one with users_set_role (role admin), then try again",
  ],
  [/^Check the server, or allow more time with --timeout$/, "Check the server, or call the tool again"],
];

/** A remediation in an agent's terms: tools and their arguments where a tool exists. */
export function toolRemediation(remediation: string | undefined): string | null {
  if (remediation === undefined) return null;
  for (const [pattern, replacement] of TOOL_REMEDIATIONS) {
    if (pattern.test(remediation)) return replacement;
  }
  return remediation;
}

/**
 * A tool result for anything a tool threw: `isError: true`, the CLI's error line as text, and as structured
 * content the error's code, message, remediation, request id and the exit code `phyware users` would use.
 */
export function toolError(thrown: unknown): CallToolResult {
  // toPhywareError gives undefined only for a closed pipe or help output, which a tool cannot meet.
  const found = toPhywareError(thrown) ?? new PhywareError("Unexpected error", { code: "INTERNAL_ERROR" });
  const remediation = toolRemediation(found.remediation);
  const error = withRemediation(found, remediation ?? undefined);
  const content: ToolErrorContent = {
    code: error.code,
    message: error.message,
    remediation,
    exit_code: error.exitCode,
    request_id: error.requestId ?? null,
  };
  return {
    isError: true,
    content: [{ type: "text", text: inline(errorLine(error).trimEnd()) }],
    structuredContent: content,
  };
}
