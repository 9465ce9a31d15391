import { Server } from "@modelcontextprotocol/sdk/server";
// The SDK's exports map gives types for this subpath only without ".js".
// @ts-types="@modelcontextprotocol/sdk/types"
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { VERSION } from "../version.ts";
import type { McpTool, ToolDeps } from "./tool.ts";

const INSTRUCTIONS = "phyware manages the users of one PhyCloud tenant: list them (a page at a time, " +
  "following next_cursor), get one, invite one by email, resend a pending user's invitation, deactivate one " +
  "(irreversible through phyware). " +
  "whoami says which tenant and key the tools act as. A failed call returns isError with the service's code, " +
  "message and remediation.";

/** A JSON-RPC error answer; unlike the SDK's McpError, its message is sent as written, without a prefix. */
class ProtocolFault extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/**
 * The MCP server: tools/list and tools/call over the given tools. It uses the SDK's low-level Server rather
 * than McpServer so that it publishes exactly the schemas it validates with, including the error shape in
 * each output schema, and so that an unknown tool is a JSON-RPC error (a protocol fault), not a tool result.
 */
export function createMcpServer(tools: readonly McpTool[], deps: ToolDeps): Server {
  const server = new Server(
    { name: "phyware", title: "phyware: PhyCloud users", version: VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  const byName = new Map<string, McpTool>(tools.map((tool) => [tool.name, tool]));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((tool) => tool.definition) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new ProtocolFault(
        ErrorCode.InvalidParams,
        `Unknown tool ${JSON.stringify(request.params.name)}: this server offers ${
          [...byName.keys()].join(", ")
        }`,
      );
    }
    return await tool.call(request.params.arguments ?? {}, deps);
  });
  return server;
}
