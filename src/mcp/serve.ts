import type { Context } from "../context.ts";
import { type ApiSession, openSession, redact } from "../session/mod.ts";
import { errorLine, toPhywareError } from "../error_report.ts";
import type { PhywareError } from "../errors.ts";
import { stdinTaken } from "../session/credentials.ts";
import type { McpOptions } from "./options.ts";
import { createMcpServer } from "./server.ts";
import { StdioTransport } from "./stdio_transport.ts";
import { TOOLS } from "./tools/mod.ts";

type Opened = { session: ApiSession } | { error: PhywareError };

async function open(options: McpOptions, ctx: Context): Promise<Opened> {
  try {
    return {
      // Standard input carries the protocol, so a key file "-" (flag or PHYCLOUD_API_KEY_FILE) cannot be read.
      session: await openSession(
        options.globals,
        stdinTaken(
          ctx,
          "phyware mcp reads the protocol there",
          "Give --api-key-file a path, or use PHYCLOUD_API_KEY or a profile",
        ),
        { knowProfile: true },
      ),
    };
  } catch (thrown) {
    const error = toPhywareError(thrown);
    if (!error) throw thrown;
    return { error };
  }
}

/**
 * Serves the chosen tools over stdio until the host closes stdin. Without a usable key (or with a bad URL) it
 * still starts, and every tool answers with that error, so the host can show why. Logs go to stderr only.
 */
export async function runMcp(options: McpOptions, ctx: Context): Promise<void> {
  const log = (line: string) => ctx.io.stderr.write(`phyware mcp: ${line}\n`).catch(() => {});
  const opened = await open(options, ctx);
  const server = createMcpServer(options.tools.map((name) => TOOLS[name]), {
    session() {
      if ("error" in opened) throw opened.error;
      return opened.session;
    },
  });
  const closed = new Promise<void>((resolve) => server.onclose = resolve);
  server.onerror = (error) => void log(`protocol error: ${error.message}`);
  await server.connect(new StdioTransport(ctx.io.openStdin(), ctx.io.stdout));
  const tools = options.tools.join(", ");
  if ("error" in opened) {
    await log(`serving ${tools} on stdio; every tool will answer with ${errorLine(opened.error).trimEnd()}`);
  } else {
    const { url, apiKey } = opened.session.credentials;
    const key = apiKey ? `API key ${redact(apiKey.value)} from ${apiKey.origin}` : "no API key";
    await log(`serving ${tools} on stdio for ${url.value} (${key})`);
  }
  await closed;
}
