import type { Context } from "../context.ts";
import { ApiClient } from "../api/client.ts";
import { UsersApi } from "../api/users.ts";
import { loadDotenv, resolveConnection } from "../config.ts";
import { AuthError } from "../errors.ts";
import { useColor } from "../output/mod.ts";
import { VERSION } from "../version.ts";
import type { GlobalOptions } from "./global_options.ts";

/** What a users verb needs to talk to the service and print. */
export interface ApiSession {
  users: UsersApi;
  client: ApiClient;
  /** Whether the table may use colour. */
  color: boolean;
}

const SOURCE_NAMES = { flag: "--api-key", env: "PHYCLOUD_API_KEY", dotenv: "PHYCLOUD_API_KEY in .env" };

/** Resolves --url and --api-key through flag, env and .env, and builds the API client. */
export async function openSession(
  globals: GlobalOptions,
  ctx: Context,
  { requireKey = true }: { requireKey?: boolean } = {},
): Promise<ApiSession> {
  const dotenv = await loadDotenv(ctx);
  const conn = resolveConnection({ url: globals.url, apiKey: globals.apiKey }, ctx.env, dotenv);
  if (conn.apiKey === undefined && requireKey) {
    throw new AuthError("No API key", {
      code: "UNAUTHENTICATED",
      remediation: "Pass --api-key, set PHYCLOUD_API_KEY, or add PHYCLOUD_API_KEY to .env",
    });
  }
  if (conn.apiKey !== undefined && !/^[\x21-\x7e]{1,1024}$/.test(conn.apiKey)) {
    // Never echo the value: it is a secret, even when it is a malformed one.
    throw new AuthError(`Invalid API key from ${SOURCE_NAMES[conn.apiKeySource ?? "flag"]}`, {
      code: "UNAUTHENTICATED",
      remediation: "An API key is printable ASCII without spaces, such as phy_...",
    });
  }
  const log = globals.verbose ? (line: string) => ctx.io.stderr.write(`${line}\n`) : undefined;
  const keyNote = conn.apiKey === undefined
    ? "no api key"
    : `api key from ${conn.apiKeySource}: ${redact(conn.apiKey)}`;
  await log?.(`* url ${conn.url}, ${keyNote}`);
  const client = new ApiClient({
    baseUrl: conn.url,
    apiKey: conn.apiKey ?? "",
    fetch: ctx.fetch,
    sleep: (ms) => ctx.sleep(ms),
    now: ctx.now,
    timeoutMs: globals.timeoutMs,
    userAgent: `phyware/${VERSION} (${ctx.platform})`,
    log,
    notice: globals.verbose || ctx.io.stderrIsTerminal
      ? (line) => ctx.io.stderr.write(`${line}\n`)
      : undefined,
  });
  return { users: new UsersApi(client), client, color: useColor(ctx.io.stdoutIsTerminal, ctx.env) };
}

/** Shows that a key is set without showing any of it beyond its public prefix. */
export function redact(key: string): string {
  const prefix = /^[a-z]+_/.exec(key)?.[0] ?? "";
  return `${prefix}[redacted]`;
}
