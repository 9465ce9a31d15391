import type { Context } from "../context.ts";
import { ApiClient, type ClientOptions } from "../api/client.ts";
import { debugWanted, tracingFetch } from "../api/debug_trace.ts";
import { UsersApi } from "../api/users.ts";
import {
  type Credentials,
  isSendableKey,
  keyPlace,
  noKeyError,
  remediateWithSources,
  resolveCredentials,
  type ResolveOptions,
} from "./credentials.ts";
import { AuthError } from "../errors.ts";
import { useColor } from "../output/mod.ts";
import { VERSION } from "../version.ts";
import type { GlobalOptions } from "./options.ts";

/** What a users verb needs to talk to the service and print. */
export interface ApiSession {
  users: UsersApi;
  client: ApiClient;
  /** The URL and key in use, with their sources. */
  credentials: Credentials;
  /** Whether the table may use colour. */
  color: boolean;
}

export { NO_KEY_REMEDIATION } from "./credentials.ts";

/** Resolves the URL and API key (flag, env, .env, profile, default) and builds the API client. */
export async function openSession(
  globals: GlobalOptions,
  ctx: Context,
  { requireKey = true, retryRateLimited, ...resolve }:
    & { requireKey?: boolean; retryRateLimited?: boolean }
    & ResolveOptions = {},
): Promise<ApiSession> {
  const credentials = await resolveCredentials(globals, ctx, resolve);
  const { url, apiKey } = credentials;
  if (apiKey === undefined && requireKey) throw noKeyError(credentials);
  if (apiKey !== undefined && !isSendableKey(apiKey.value)) {
    // Never echo the value: it is a secret, even when it is a malformed one.
    throw new AuthError(`Invalid API key from ${apiKey.origin}`, {
      code: "UNAUTHENTICATED",
      remediation: `Fix ${keyPlace(apiKey)}: an API key is printable ASCII without spaces, such as phy_...`,
    });
  }
  const log = globals.verbose ? (line: string) => ctx.io.stderr.write(`${line}\n`) : undefined;
  const keyNote = apiKey === undefined
    ? "no api key"
    : `api key from ${apiKey.origin}: ${redact(apiKey.value)}`;
  await log?.(`* url ${url.value} from ${url.origin}, ${keyNote}`);
  const client = contextClient(ctx, {
    baseUrl: url.value,
    apiKey: apiKey?.value ?? "",
    timeoutMs: globals.timeoutMs,
    log,
    remediate: (error) => remediateWithSources(error, { url, apiKey }),
    debug: globals.debug,
    notice: globals.verbose || ctx.io.stderrIsTerminal
      ? (line) => ctx.io.stderr.write(`${line}\n`)
      : undefined,
    ...(retryRateLimited === undefined ? {} : { retryRateLimited }),
  });
  return {
    users: new UsersApi(client),
    client,
    credentials,
    color: useColor(ctx.io.stdoutIsTerminal, ctx.env),
  };
}

/** What a command chooses about its API client; the rest comes from the context. */
export type ClientSettings =
  & Pick<
    ClientOptions,
    "baseUrl" | "apiKey" | "timeoutMs" | "log" | "notice" | "remediate" | "retryRateLimited"
  >
  & {
    /** `--debug`: trace every request and response on stderr (PHYWARE_DEBUG=1 turns it on too). */
    debug?: boolean;
  };

/** An API client on the context's fetch, clock and sleep, sending phyware's User-Agent. */
export function contextClient(ctx: Context, { debug = false, ...settings }: ClientSettings): ApiClient {
  return new ApiClient({
    ...settings,
    fetch: debugWanted(debug, ctx.env)
      ? tracingFetch(ctx.fetch, (text) => ctx.io.stderr.write(text))
      : ctx.fetch,
    sleep: (ms) => ctx.sleep(ms),
    now: ctx.now,
    userAgent: `phyware/${VERSION} (${ctx.platform})`,
  });
}

/** Shows that a key is set without showing any of it beyond its public prefix. */
export function redact(key: string): string {
  const prefix = /^[a-z]+_/.exec(key)?.[0] ?? "";
  return `${prefix}[redacted]`;
}
