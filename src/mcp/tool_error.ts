// The SDK's exports map gives types for this subpath only without ".js".
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { errorLine, toPhywareError } from "../error_report.ts";
import { PhywareError } from "../errors.ts";
import type { ToolErrorContent } from "./schemas.ts";
import { inline } from "./tools/user_text.ts";

/**
 * A tool result for anything a tool threw: `isError: true`, the CLI's error line as text, and as structured
 * content the error's code, message, remediation, request id and the exit code `phyware users` would use.
 */
export function toolError(thrown: unknown): CallToolResult {
  // toPhywareError gives undefined only for a closed pipe or help output, which a tool cannot meet.
  const error = toPhywareError(thrown) ?? new PhywareError("Unexpected error", { code: "INTERNAL_ERROR" });
  const content: ToolErrorContent = {
    code: error.code,
    message: error.message,
    remediation: error.remediation ?? null,
    exit_code: error.exitCode,
    request_id: error.requestId ?? null,
  };
  return {
    isError: true,
    content: [{ type: "text", text: inline(errorLine(error).trimEnd()) }],
    structuredContent: content,
  };
}
