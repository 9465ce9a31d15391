import type { Context } from "../../context.ts";
import { UsersApi } from "../../api/users.ts";
import { contextClient } from "../../session.ts";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL, loadDotenv, parseDuration, parseServiceUrl } from "../../config.ts";
import { checkKeyDestination, isSendableKey, type Sourced } from "../../credentials.ts";
import { AuthError, quoted } from "../../errors.ts";
import { printable } from "../../output/mod.ts";
import { parseProfileOption, readConfig, writeConfig } from "../../profiles.ts";

/** Parsed options of `auth login`. */
export interface LoginOptions {
  profile: string;
  url: string | undefined;
  timeoutMs: number;
  verbose: boolean;
  /** --debug: trace the check's request and response (the key redacted). */
  debug: boolean;
}

/** Parses the options of `auth login`. */
export function parseLoginOptions(
  raw: { profile?: string; url?: string; timeout?: string; verbose?: true; debug?: true },
  ctx: Pick<Context, "env">,
): LoginOptions {
  return {
    profile: parseProfileOption(raw.profile, ctx),
    url: raw.url,
    timeoutMs: raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(raw.timeout, "--timeout"),
    verbose: raw.verbose === true,
    debug: raw.debug === true,
  };
}

async function readKey(ctx: Context): Promise<string> {
  const typed = ctx.io.stdinIsTerminal
    ? await ctx.io.readSecret("Paste your API key (it will not be shown): ")
    : (await ctx.io.readStdin()).split(/\r?\n/)[0] ?? "";
  const key = typed?.trim() ?? "";
  if (key === "") {
    throw new AuthError("No API key given", {
      remediation: ctx.io.stdinIsTerminal ? "Paste the key at the prompt" : "Pipe the key to standard input",
    });
  }
  if (!isSendableKey(key)) {
    throw new AuthError("Invalid API key", {
      remediation: "An API key is printable ASCII without spaces, such as phy_...",
    });
  }
  return key;
}

/** Reads a key (hidden prompt, or standard input), checks it with `GET /v1/me`, and saves it in a profile. */
export async function runLogin(options: LoginOptions, ctx: Context): Promise<void> {
  const { path, config } = await readConfig(ctx);
  const dotenv = await loadDotenv(ctx);
  const saved = config.profiles[options.profile];
  const raw: Sourced = options.url !== undefined
    ? { value: options.url, source: "flag", origin: "--url" }
    : ctx.env.PHYCLOUD_URL
    ? { value: ctx.env.PHYCLOUD_URL, source: "env", origin: "PHYCLOUD_URL" }
    : dotenv.PHYCLOUD_URL
    ? { value: dotenv.PHYCLOUD_URL, source: "dotenv", origin: "PHYCLOUD_URL in .env" }
    : saved
    ? { value: saved.url, source: "profile", origin: `profile ${quoted(options.profile)}` }
    : { value: DEFAULT_URL, source: "default", origin: "the default" };
  const url = { ...raw, value: parseServiceUrl(raw.value) };
  const key = await readKey(ctx);
  checkKeyDestination(url, { value: key, source: "flag", origin: "the key typed for auth login" });
  const log = options.verbose ? (line: string) => ctx.io.stderr.write(`${line}\n`) : undefined;
  await log?.(`* url ${url.value} from ${url.source}`);
  const client = contextClient(ctx, {
    baseUrl: url.value,
    apiKey: key,
    timeoutMs: options.timeoutMs,
    log,
    debug: options.debug,
  });
  // A refused key throws here (exit 2) and is not saved.
  const me = await new UsersApi(client).me();
  config.profiles[options.profile] = { url: url.value, api_key: key };
  await writeConfig(ctx, path, config);
  const who = me.user === null ? "" : ` as ${printable(me.user.email)}`;
  await ctx.io.stderr.write(
    `Logged in to ${url.value}${who} (tenant ${printable(me.tenant.name)}); saved profile ` +
      `${quoted(options.profile)} in ${path}\n`,
  );
}
