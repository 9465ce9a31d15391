import type { Context } from "./context.ts";
import { DEFAULT_URL, loadDotenv, parseServiceUrl } from "./config.ts";
import { quoted, ValidationError } from "./errors.ts";
import { configDir, DEFAULT_PROFILE, parseProfileName, type Profile, readConfig } from "./profiles.ts";

/** Where a setting came from, as `auth status` and `--verbose` name it. */
export type Source = "flag" | "env" | "dotenv" | "file" | "profile" | "default";

/** Credential settings as given on the command line (undefined when the flag was not given). */
export interface CredentialFlags {
  url?: string | undefined;
  apiKey?: string | undefined;
  apiKeyFile?: string | undefined;
  profile?: string | undefined;
}

/** A setting, where it came from, and the name of that place (`--url`, `PHYCLOUD_URL in .env`, ...). */
export interface Sourced {
  value: string;
  source: Source;
  origin: string;
}

/** The URL and API key phyware will use, each with its source. */
export interface Credentials {
  /** Base URL without a trailing slash. */
  url: Sourced;
  /** The API key, when one was found anywhere. */
  apiKey: Sourced | undefined;
  /** The profile in effect (`default` unless --profile or PHYCLOUD_PROFILE names one). */
  profile: string;
}

type Vars = Readonly<Record<string, string | undefined>>;

/**
 * Whether a value can be sent as an API key: 1 to 1,024 printable ASCII characters, no spaces. (A length check
 * and `+`, not `{1,1024}`: Bun compiles that bounded repeat in 0.3 ms, on every `users get`.)
 */
export function isSendableKey(value: string): boolean {
  return value.length <= 1024 && /^[\x21-\x7e]+$/.test(value);
}

/** Whether a URL's host is this machine, where a `.env` may send any key. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

async function keyFromFile(path: string, origin: string, ctx: Context): Promise<Sourced> {
  const text = path === "-" ? await ctx.io.readStdin() : await ctx.readTextFile(path);
  if (text === undefined) {
    throw new ValidationError(`Cannot read ${origin} ${quoted(path)}: no such file`, {
      remediation: "Check the path of the key file",
    });
  }
  if (path !== "-") {
    const mode = await ctx.fileMode(path);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      await ctx.io.stderr.write(
        `warning: ${origin} ${quoted(path)} can be read by others (mode ${
          mode.toString(8).padStart(4, "0")
        }) ` +
          `- Run chmod 600 ${quoted(path)}\n`,
      );
    }
  }
  const value = text.replace(/\r?\n$/, "");
  if (value === "") throw new ValidationError(`Invalid ${origin} ${quoted(path)}: the file is empty`);
  return { value, source: "file", origin };
}

/**
 * The API key from the flags and the environment: --api-key or --api-key-file, then PHYCLOUD_API_KEY or
 * PHYCLOUD_API_KEY_FILE. `undefined` lets .env and the profile speak; `null` means a set but empty variable,
 * which keeps .env quiet (a set variable always wins over .env).
 */
async function keyFromFlagOrEnv(
  flags: CredentialFlags,
  env: Vars,
  ctx: Context,
): Promise<Sourced | null | undefined> {
  if (flags.apiKey !== undefined && flags.apiKeyFile !== undefined) {
    throw new ValidationError("Use --api-key or --api-key-file, not both");
  }
  if (flags.apiKey !== undefined) {
    return flags.apiKey === "" ? null : { value: flags.apiKey, source: "flag", origin: "--api-key" };
  }
  if (flags.apiKeyFile !== undefined) return await keyFromFile(flags.apiKeyFile, "--api-key-file", ctx);
  const key = env.PHYCLOUD_API_KEY;
  const file = env.PHYCLOUD_API_KEY_FILE;
  if (key && file) {
    throw new ValidationError("Both PHYCLOUD_API_KEY and PHYCLOUD_API_KEY_FILE are set", {
      remediation: "Unset one of them",
    });
  }
  if (key) return { value: key, source: "env", origin: "PHYCLOUD_API_KEY" };
  if (file) return await keyFromFile(file, "PHYCLOUD_API_KEY_FILE", ctx);
  return key === undefined && file === undefined ? undefined : null;
}

/**
 * Resolves the URL and the API key, each separately: flag, then environment (PHYCLOUD_API_KEY_FILE
 * included), then `.env`, then the profile, then the default. A key that did not come from `.env` is never
 * sent to a URL that did, unless that URL is loopback: a folder's `.env` must not redirect the user's key.
 * `auth status`, the users verbs and `phyware mcp` all connect through this.
 */
export async function resolveCredentials(flags: CredentialFlags, ctx: Context): Promise<Credentials> {
  const { env } = ctx;
  const named = flags.profile ?? (env.PHYCLOUD_PROFILE || undefined);
  const profileName = named === undefined ? DEFAULT_PROFILE : parseProfileName(named);
  const dotenv = await loadDotenv(ctx);

  let profile: Profile | undefined;
  let profileLoaded = false;
  const fromProfile = async (): Promise<Profile | undefined> => {
    if (!profileLoaded) {
      profileLoaded = true;
      // With no home folder there are no profiles, unless one is asked for by name.
      if (named === undefined && configDir(ctx) === undefined) return undefined;
      const { path, config } = await readConfig(ctx);
      profile = config.profiles[profileName];
      if (profile === undefined && named !== undefined) {
        throw new ValidationError(`No profile ${quoted(profileName)} in ${path}`, {
          remediation: `Run phyware auth login --profile ${profileName}, or see phyware auth profiles`,
        });
      }
    }
    return profile;
  };
  const profileOrigin = `profile ${quoted(profileName)}`;
  // An explicitly chosen profile must exist, even when flags cover everything it would give.
  if (named !== undefined) await fromProfile();

  let url: Sourced | undefined;
  if (flags.url !== undefined) url = { value: flags.url, source: "flag", origin: "--url" };
  else if (env.PHYCLOUD_URL !== undefined) {
    if (env.PHYCLOUD_URL !== "") url = { value: env.PHYCLOUD_URL, source: "env", origin: "PHYCLOUD_URL" };
  } else if (dotenv.PHYCLOUD_URL) {
    url = { value: dotenv.PHYCLOUD_URL, source: "dotenv", origin: "PHYCLOUD_URL in .env" };
  }
  if (url === undefined) {
    const saved = await fromProfile();
    url = saved === undefined
      ? { value: DEFAULT_URL, source: "default", origin: "the default" }
      : { value: saved.url, source: "profile", origin: profileOrigin };
  }
  url = { ...url, value: parseServiceUrl(url.value) };

  let apiKey = await keyFromFlagOrEnv(flags, env, ctx);
  if (apiKey === undefined && dotenv.PHYCLOUD_API_KEY) {
    apiKey = { value: dotenv.PHYCLOUD_API_KEY, source: "dotenv", origin: "PHYCLOUD_API_KEY in .env" };
  }
  if (apiKey === undefined) {
    const saved = await fromProfile();
    if (saved !== undefined) apiKey = { value: saved.api_key, source: "profile", origin: profileOrigin };
  }
  const key = apiKey ?? undefined;
  if (key !== undefined) checkKeyDestination(url, key);
  return { url, apiKey: key, profile: profileName };
}

/** Throws when a `.env` would send a key it did not provide to a host other than this machine. */
export function checkKeyDestination(url: Sourced, apiKey: Sourced): void {
  if (url.source !== "dotenv" || apiKey.source === "dotenv" || isLoopback(url.value)) return;
  throw new ValidationError(
    `Refusing to send the API key from ${apiKey.origin} to ${url.value} from ${url.origin}`,
    { remediation: "Pass --url, or put the key in the same .env" },
  );
}
