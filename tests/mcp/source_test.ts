// `phyware mcp` from source, through the MCP SDK's client, against the real server.
import { startTestServer } from "../support/server.ts";
import { FROM_SOURCE } from "./mcp_client.ts";
import { mcpScenarios } from "./scenarios.ts";

Deno.test("phyware mcp from source serves the users tools over stdio", async (t) => {
  const server = await startTestServer();
  try {
    await mcpScenarios(t, FROM_SOURCE, server);
  } finally {
    await server.close();
  }
});
