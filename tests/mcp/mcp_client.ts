/**
 * The MCP SDK's own client, spawning `phyware mcp` over stdio: from source (`deno run -A main.ts mcp`) or as
 * the compiled binary. Each connection collects the server's stderr and closes by construction.
 */
import { Client } from "@modelcontextprotocol/sdk/client";
// The SDK's exports map gives types for these subpaths only without ".js".
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { type CallToolResult, CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** How to start `phyware mcp`. */
export interface Launcher {
  /** Shown in test names. */
  label: string;
  command: string;
  /** Arguments up to and including "mcp". */
  args: string[];
}

/** `deno run -A main.ts mcp`. */
export const FROM_SOURCE: Launcher = {
  label: "deno run -A main.ts mcp",
  command: Deno.execPath(),
  args: ["run", "-A", "--quiet", MAIN, "mcp"],
};

/** A compiled phyware binary. */
export function binaryLauncher(path: string): Launcher {
  return { label: "the compiled binary", command: path, args: ["mcp"] };
}

/** What the runtime itself needs (Deno's cache), and nothing of phyware's. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** A connected client. */
export interface McpConnection extends AsyncDisposable {
  client: Client;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** tools/call through the client, which checks structured content against the tool's output schema. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** tools/call without the client's own output-schema check, to see exactly what the server sent. */
  callRaw(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
}

/** Options of a connection. */
export interface ConnectOptions {
  /** Arguments after "mcp". */
  args?: string[];
  /** The server's environment, besides PATH, HOME and Deno's cache. */
  env?: Record<string, string>;
  /** Working directory (for `.env`); default: a directory with no `.env`. */
  cwd?: string;
}

/** Spawns `phyware mcp` and initializes an MCP session with it. */
export async function connectMcp(launcher: Launcher, options: ConnectOptions = {}): Promise<McpConnection> {
  const transport = new StdioClientTransport({
    command: launcher.command,
    args: [...launcher.args, ...(options.args ?? [])],
    env: { ...baseEnv(), ...(options.env ?? {}) },
    cwd: options.cwd ?? "/",
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Uint8Array) => stderr += new TextDecoder().decode(chunk));
  const client = new Client({ name: "phyware-tests", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    call: async (name, args = {}) =>
      CallToolResultSchema.parse(await client.callTool({ name, arguments: args })),
    callRaw: (name, args = {}) =>
      client.request({ method: "tools/call", params: { name, arguments: args } }, CallToolResultSchema),
    async [Symbol.asyncDispose]() {
      await client.close();
    },
  };
}
