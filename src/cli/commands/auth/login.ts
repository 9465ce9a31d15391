import type { Context } from "../../../context.ts";
import { UsersApi } from "../../../api/users.ts";
import { contextClient } from "../../../session/mod.ts";
import { DEFAULT_TIMEOUT_MS, loadDotenv, parseDuration } from "../../../session/config.ts";
import {
  checkKeyDestination,
  isSendableKey,
  MAX_SECRET_BYTES,
  remediateWithSources,
  resolveUrl,
  type Sourced,
  tooLongSecret,
} from "../../../session/credentials.ts";
import { AuthError, quoted } from "../../../errors.ts";
import { printable } from "../../../output/mod.ts";
import {
  DEFAULT_PROFILE,
  parseProfileName,
  prepareConfigFolder,
  profileOf,
  readConfig,
  updateConfig,
} from "../../../session/profiles.ts";

/** Parsed options of `auth login`. */
export interface LoginOptions {
  profile: string;
  url: string | undefined;
  timeoutMs: number;
  verbose: boolean;
  /** --debug: trace the check's request and response (the key redacted). */
  debug: boolean;
}

/** The profile a login saves: --profile, else PHYCLOUD_PROFILE, else `default`. */
export function parseProfileOption(raw: string | undefined, ctx: Pick<Context, "env">): string {
  if (raw !== undefined) return parseProfileName(raw);
  return ctx.env.PHYCLOUD_PROFILE
    ? parseProfileName(ctx.env.PHYCLOUD_PROFILE, "PHYCLOUD_PROFILE")
    : DEFAULT_PROFILE;
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

/** The key, typed at a hidden prompt or the first line of standard input; at most a key's size is read. */
async function readKey(ctx: Context): Promise<Sourced> {
  const terminal = ctx.io.stdinIsTerminal;
  let typed: string;
  if (terminal) {
    typed = (await ctx.io.readSecret("Paste your API key (it will not be shown): ")) ?? "";
  } else {
    const text = await ctx.io.readStdin(MAX_SECRET_BYTES);
    const end = text.search(/\r?\n/);
    if (end < 0 && text.length > MAX_SECRET_BYTES) throw tooLongSecret("key on standard input");
    typed = end < 0 ? text : text.slice(0, end);
  }
  if (typed.length > MAX_SECRET_BYTES) throw tooLongSecret(terminal ? "key typed at the prompt" : "key");
  const key = typed.trim();
  if (key === "") {
    throw new AuthError("No API key given", {
      remediation: terminal ? "Paste the key at the prompt" : "Pipe the key to standard input",
    });
  }
  if (!isSendableKey(key)) {
    throw new AuthError("Invalid API key", {
      remediation: "An API key is printable ASCII without spaces, such as phy_...",
    });
  }
  return {
    value: key,
    source: "prompt",
    origin: terminal ? "the key typed at the prompt" : "the key read from standard input",
  };
}

/**
 * Reads a key (hidden prompt, or standard input), checks it with `GET /v1/me`, saves it in a profile and makes
 * that profile the current one. config.json is changed under its lock and re-read after the check, so
 * concurrent logins and logouts keep each other's changes.
 */
export async function runLogin(options: LoginOptions, ctx: Context): Promise<void> {
  const { config } = await readConfig(ctx);
  const dotenv = await loadDotenv(ctx);
  const saved = profileOf(config, options.profile);
  const url = await resolveUrl(
    { flag: options.url, env: ctx.env, dotenv },
    () => Promise.resolve(saved && { name: options.profile, profile: saved }),
  );
  // A folder the profile cannot be saved in is said before the key is asked for.
  await prepareConfigFolder(ctx);
  const key = await readKey(ctx);
  checkKeyDestination(url, key);
  const log = options.verbose ? (line: string) => ctx.io.stderr.write(`${line}\n`) : undefined;
  await log?.(`* url ${url.value} from ${url.origin}`);
  const client = contextClient(ctx, {
    baseUrl: url.value,
    apiKey: key.value,
    timeoutMs: options.timeoutMs,
    log,
    debug: options.debug,
    remediate: (error) => remediateWithSources(error, { url, apiKey: key }),
  });
  // A refused key throws here (exit 2) and is not saved.
  const me = await new UsersApi(client).me();
  const { path } = await updateConfig(ctx, (latest) => {
    latest.profiles[options.profile] = { url: url.value, api_key: key.value };
    latest.current = options.profile;
  });
  const who = me.user === null ? "" : ` as ${printable(me.user.email)}`;
  await ctx.io.stderr.write(
    `Logged in to ${url.value}${who} (tenant ${printable(me.tenant.name)}); saved profile ` +
      `${quoted(options.profile)} in ${path}, now the current profile\n`,
  );
}
