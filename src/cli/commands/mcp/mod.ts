import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { addConnectionOptions } from "../../../session/flags.ts";
import { addFlags } from "../../../flags/commander.ts";
import { MCP_FLAGS } from "./flags.ts";

const HOST_HELP = `
Add it to an MCP host (Claude Desktop, VS Code, Cursor, ...) as a stdio server:
  {"mcpServers": {"phyware": {"command": "phyware", "args": ["mcp"],
    "env": {"PHYCLOUD_URL": "https://phycloud.example.com", "PHYCLOUD_API_KEY": "phy_..."}}}}

Tools: users_list, users_get, users_invite, users_deactivate, users_resend_invite, users_set_role,
events_list, whoami.
stdout carries the protocol only; logs go to stderr.
`;

/** The `phyware mcp` command; the MCP SDK is loaded only when it runs. */
export function mcpCommand(ctx: Context): CommandUnknownOpts {
  return addFlags(addConnectionOptions(new Command("mcp")), MCP_FLAGS)
    .description("Serve the users tools to AI agents over the Model Context Protocol, on stdin and stdout")
    .addHelpText("after", HOST_HELP)
    .action(async (raw) => {
      const { parseMcpOptions } = await import("../../../mcp/options.ts");
      const options = parseMcpOptions(raw);
      const { runMcp } = await import("../../../mcp/serve.ts");
      await runMcp(options, ctx);
    });
}
