/** The flags of `phyware mcp`, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { flags } from "../../../flags/spec.ts";

/** The flags of `phyware mcp` besides the connection options. */
export const MCP_FLAGS = flags(
  {
    long: "--read-only",
    help: "offer only the tools that change nothing: users_list, users_get, events_list, whoami",
  },
  {
    long: "--tools",
    value: "names",
    help: "offer only these tools, comma-separated (such as users_list,users_get)",
  },
);
