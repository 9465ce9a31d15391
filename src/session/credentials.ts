import type { Context } from "../context.ts";
import { DEFAULT_URL, loadDotenv, parseServiceUrl } from "./config.ts";
import { fileError } from "../file_error.ts";
import { AuthError, type PhywareError, quoted, ValidationError, withRemediation } from "../errors.ts";
import {
  configDir,
  type ConfigFile,
  DEFAULT_PROFILE,
  emptyConfig,
  parseProfileName,
  type Profile,
  profileNames,
  profileOf,
  readConfig,
  warnIfNotPrivate,
} from "./profiles.ts";

/** Where a setting came from, as `auth status` and `--verbose` name it (`prompt`: typed for auth login). */
export type Source = "flag" | "env" | "dotenv" | "file" | "profile" | "default" | "prompt";

/** Why a profile is the one in effect: --profile, PHYCLOUD_PROFILE, config.json's `current`, or the default. */
export type ProfileReason = "flag" | "env" | "current" | "default";

/** The most a key (or a key file) may hold: a key is at most 1,024 characters; this leaves room for lines. */
export const MAX_SECRET_BYTES = 8 * 1024;

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

/** The profile in effect and why. */
export interface ChosenProfile {
  name: string;
  reason: ProfileReason;
}

/** The URL and API key phyware will use, each with its source. */
export interface Credentials {
  /** Base URL without a trailing slash. */
  url: Sourced;
  /** The API key, when one was found anywhere. */
  apiKey: Sourced | undefined;
  /** The profile in effect; undefined when config.json was not needed and no profile was named. */
  profile: ChosenProfile | undefined;
  /** The names of the saved profiles, when config.json was read. */
  savedProfiles: readonly string[];
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

/** The error for a secret longer than a key can be; the content is never shown. */
export function tooLongSecret(what: string): ValidationError {
  return new ValidationError(
    `Invalid ${what}: longer than ${MAX_SECRET_BYTES / 1024} KiB, so not an API key`,
    {
      remediation: "Give the key alone, such as phy_...",
    },
  );
}

/**
 * A Context whose standard input is taken by another input (`--from-file -`, the MCP protocol): reading a key
 * from `-` then fails naming both, instead of one reader getting the other's data.
 */
export function stdinTaken(ctx: Context, why: string, remediation: string): Context {
  const refuse = () =>
    Promise.reject(
      new ValidationError(`Cannot read the API key from standard input ("-"): ${why}`, {
        remediation,
      }),
    );
  return { ...ctx, io: { ...ctx.io, readStdin: refuse } };
}

/** Refuses a key file "-" (flag or PHYCLOUD_API_KEY_FILE) beside another input read from standard input. */
export function refuseSharedStdin(input: string, flags: CredentialFlags, env: Vars): void {
  const other = flags.apiKeyFile === "-"
    ? "--api-key-file -"
    : flags.apiKeyFile === undefined && flags.apiKey === undefined && !env.PHYCLOUD_API_KEY &&
        env.PHYCLOUD_API_KEY_FILE === "-"
    ? "PHYCLOUD_API_KEY_FILE=-"
    : undefined;
  if (other === undefined) return;
  throw new ValidationError(`Use standard input for ${input} or for ${other}, not both`, {
    remediation: "Give the key in a file (--api-key-file PATH) or in PHYCLOUD_API_KEY",
  });
}

async function keyFromFile(path: string, origin: string, ctx: Context): Promise<Sourced> {
  const named = `${origin} ${quoted(path)}`;
  let text: string | undefined;
  try {
    text = path === "-"
      ? await ctx.io.readStdin(MAX_SECRET_BYTES)
      : await ctx.readTextFile(path, { limit: MAX_SECRET_BYTES });
  } catch (error) {
    throw fileError(error, `read ${named}`, { validation: true }) ?? error;
  }
  if (text === undefined) {
    throw new ValidationError(`Cannot read ${named}: no such file`, {
      remediation: "Check the path of the key file",
    });
  }
  if (text.length > MAX_SECRET_BYTES) throw tooLongSecret(named);
  if (path !== "-") await warnIfNotPrivate(path, origin, ctx);
  const value = text.replace(/\r?\n$/, "");
  if (value === "") throw new ValidationError(`Invalid ${named}: the file is empty`);
  return { value, source: "file", origin: named };
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

/** What the URL chain may take from a profile: its name and saved connection, read only when reached. */
export type ProfileLookup = () => Promise<{ name: string; profile: Profile } | undefined>;

/** What resolveUrl reads: the flag, the environment and `.env`. */
export interface UrlInputs {
  flag: string | undefined;
  env: Vars;
  dotenv: Readonly<Record<string, string>>;
}

/**
 * The service URL and its source: --url, then PHYCLOUD_URL, then PHYCLOUD_URL in `.env`, then the profile,
 * then the default. A set but empty PHYCLOUD_URL counts as set (so `.env` is not read) and gives no URL. The
 * one URL chain: every command, `auth login` and `phyware mcp` resolve through it, and a bad value's error
 * names where it came from.
 */
export async function resolveUrl(inputs: UrlInputs, profile: ProfileLookup): Promise<Sourced> {
  const { flag, env, dotenv } = inputs;
  let url: Sourced | undefined;
  if (flag !== undefined) url = { value: flag, source: "flag", origin: "--url" };
  else if (env.PHYCLOUD_URL !== undefined) {
    if (env.PHYCLOUD_URL !== "") url = { value: env.PHYCLOUD_URL, source: "env", origin: "PHYCLOUD_URL" };
  } else if (dotenv.PHYCLOUD_URL) {
    url = { value: dotenv.PHYCLOUD_URL, source: "dotenv", origin: "PHYCLOUD_URL in .env" };
  }
  if (url === undefined) {
    const saved = await profile();
    url = saved === undefined
      ? {
        value: DEFAULT_URL,
        source: "default",
        origin: flag !== undefined || env.PHYCLOUD_URL !== ""
          ? "the default"
          : dotenv.PHYCLOUD_URL
          ? EMPTY_URL_OVER_DOTENV
          : EMPTY_URL_DEFAULT,
      }
      : { value: saved.profile.url, source: "profile", origin: `profile ${quoted(saved.name)}` };
  }
  return { ...url, value: parseServiceUrl(url.value, url.origin, urlPlace(url)) };
}

/** The profile named by --profile or PHYCLOUD_PROFILE, checked; undefined when neither names one. */
export function namedProfile(flag: string | undefined, env: Vars): ChosenProfile | undefined {
  if (flag !== undefined) return { name: parseProfileName(flag), reason: "flag" };
  if (env.PHYCLOUD_PROFILE) {
    return { name: parseProfileName(env.PHYCLOUD_PROFILE, "PHYCLOUD_PROFILE"), reason: "env" };
  }
  return undefined;
}

/** The profile in effect: --profile, then PHYCLOUD_PROFILE, then config.json's `current`, then `default`. */
export function chooseProfile(named: ChosenProfile | undefined, config: ConfigFile): ChosenProfile {
  if (named !== undefined) return named;
  if (config.current !== null) return { name: config.current, reason: "current" };
  return { name: DEFAULT_PROFILE, reason: "default" };
}

/** Words for why a profile is in effect, as whoami prints them. */
export function profileReasonText(reason: ProfileReason): string {
  switch (reason) {
    case "flag":
      return "--profile";
    case "env":
      return "PHYCLOUD_PROFILE";
    case "current":
      return "the current profile (phyware auth switch)";
    case "default":
      return "the default, as no profile is current";
  }
}

/** The error for a named profile that is not saved, listing the saved ones. */
export function noSuchProfile(chosen: ChosenProfile, path: string, config: ConfigFile): ValidationError {
  const saved = profileNames(config);
  const via = chosen.reason === "env" ? " (from PHYCLOUD_PROFILE)" : "";
  return new ValidationError(`No profile ${quoted(chosen.name)}${via} in ${path}`, {
    remediation: saved.length === 0
      ? `Run phyware auth login --profile ${chosen.name}`
      : `Run phyware auth login --profile ${chosen.name}, or use a saved profile: ${saved.join(", ")}`,
  });
}

/** Options of resolveCredentials. */
export interface ResolveOptions {
  /** Read config.json even when nothing else needs it, so `profile` is known (auth status). */
  knowProfile?: boolean;
}

/**
 * Resolves the URL and the API key, each separately: flag, then environment (PHYCLOUD_API_KEY_FILE
 * included), then `.env`, then the profile, then the default. A key that did not come from `.env` is never
 * sent to a URL that did, unless that URL is loopback: a folder's `.env` must not redirect the user's key.
 * `auth status`, the users verbs and `phyware mcp` all connect through this.
 */
export async function resolveCredentials(
  flags: CredentialFlags,
  ctx: Context,
  options: ResolveOptions = {},
): Promise<Credentials> {
  const { env } = ctx;
  const named = namedProfile(flags.profile, env);
  const dotenv = await loadDotenv(ctx);

  // Read once, when something needs a profile (a holder, so the closure's assignment is seen below).
  const state: { loaded?: { config: ConfigFile; chosen: ChosenProfile } } = {};
  const load = async () => {
    if (state.loaded === undefined) {
      // With no home folder there are no profiles, unless one is asked for by name.
      const { path, config } = named === undefined && configDir(ctx) === undefined
        ? { path: "", config: emptyConfig() }
        : await readConfig(ctx);
      const chosen = chooseProfile(named, config);
      if (named !== undefined && profileOf(config, named.name) === undefined) {
        throw noSuchProfile(named, path, config);
      }
      state.loaded = { config, chosen };
    }
    return state.loaded;
  };
  const fromProfile: ProfileLookup = async () => {
    const { config, chosen } = await load();
    const profile = profileOf(config, chosen.name);
    return profile === undefined ? undefined : { name: chosen.name, profile };
  };
  // An explicitly chosen profile must exist, even when flags cover everything it would give.
  if (named !== undefined) await load();
  // Only to say which profile is in effect: a config.json that cannot be read stops nothing it is not used for.
  else if (options.knowProfile) await load().catch(() => undefined);

  const url = await resolveUrl({ flag: flags.url, env, dotenv }, fromProfile);
  let apiKey = await keyFromFlagOrEnv(flags, env, ctx);
  if (apiKey === undefined && dotenv.PHYCLOUD_API_KEY) {
    apiKey = { value: dotenv.PHYCLOUD_API_KEY, source: "dotenv", origin: "PHYCLOUD_API_KEY in .env" };
  }
  // A set but empty variable (or --api-key "") is "not given": it silences .env, and the profile still speaks.
  if (apiKey === undefined || apiKey === null) {
    const saved = await fromProfile();
    if (saved !== undefined) {
      apiKey = { value: saved.profile.api_key, source: "profile", origin: `profile ${quoted(saved.name)}` };
    }
  }
  const key = apiKey ?? undefined;
  if (key !== undefined) checkKeyDestination(url, key);
  const done = state.loaded;
  return {
    url,
    apiKey: key,
    profile: done?.chosen,
    savedProfiles: done === undefined ? [] : profileNames(done.config),
  };
}

/** Throws when a `.env` would send a key it did not provide to a host other than this machine. */
export function checkKeyDestination(url: Sourced, apiKey: Sourced): void {
  if (url.source !== "dotenv" || apiKey.source === "dotenv" || isLoopback(url.value)) return;
  throw new ValidationError(
    `Refusing to send the API key from ${apiKey.origin} to ${url.value} from ${url.origin}`,
    { remediation: "Pass --url, or put the key in the same .env" },
  );
}

/** What to do when no key is found: every place a key can come from. */
export const NO_KEY_REMEDIATION = "Pass --api-key or --api-key-file, set PHYCLOUD_API_KEY, add it to .env, " +
  "or run phyware auth login";

/** The error for no key anywhere; with saved profiles but none in effect, it names them. */
export function noKeyError(credentials: Pick<Credentials, "savedProfiles">): AuthError {
  const [first] = credentials.savedProfiles;
  const remediation = first === undefined
    ? NO_KEY_REMEDIATION
    : `${NO_KEY_REMEDIATION}, or use a saved profile: phyware auth switch ${first}` +
      (credentials.savedProfiles.length > 1 ? ` (saved: ${credentials.savedProfiles.join(", ")})` : "");
  return new AuthError("No API key", { code: "UNAUTHENTICATED", remediation });
}

/** The default URL's origin when PHYCLOUD_URL is set but empty. */
const EMPTY_URL_DEFAULT = "the default (PHYCLOUD_URL is set but empty)";
/** The same when `.env` names a URL: the empty variable is why it was not used. */
const EMPTY_URL_OVER_DOTENV =
  "the default (PHYCLOUD_URL is set but empty; PHYCLOUD_URL in .env was not used)";

/** Where to fix a URL, by its source: the words that replace "--url or PHYCLOUD_URL" in a remediation. */
export function urlPlace(url: Pick<Sourced, "source" | "origin">): string {
  switch (url.source) {
    case "profile":
      return `the URL of ${url.origin} (phyware auth login ${
        url.origin.replace(/^profile "(.*)"$/, "--profile $1")
      } --url URL)`;
    case "default":
      return url.origin === EMPTY_URL_OVER_DOTENV
        ? `--url or PHYCLOUD_URL (PHYCLOUD_URL is set but empty, so phyware used the default ${DEFAULT_URL}, not PHYCLOUD_URL in .env)`
        : url.origin === EMPTY_URL_DEFAULT
        ? `--url or PHYCLOUD_URL (PHYCLOUD_URL is set but empty, so phyware used the default ${DEFAULT_URL})`
        : `--url or PHYCLOUD_URL (neither is set, so phyware used the default ${DEFAULT_URL})`;
    default:
      return url.origin;
  }
}

/** Where to fix a key, by its source: `PHYCLOUD_API_KEY in .env`, `profile "ci" (phyware auth login ...)`. */
export function keyPlace(key: Pick<Sourced, "source" | "origin">): string {
  if (key.source !== "profile") return key.origin;
  return `${key.origin} (phyware auth login ${key.origin.replace(/^profile "(.*)"$/, "--profile $1")})`;
}

/** What to do about a refused key, by where it came from. */
export function keyFix(key: Pick<Sourced, "source" | "origin">): string {
  switch (key.source) {
    case "flag":
      return `Pass a valid key with ${key.origin}; this one may be revoked`;
    case "file":
      return `Put a valid key in ${key.origin}; this one may be revoked`;
    case "env":
      return `Set ${key.origin} to a valid key; this one may be revoked`;
    case "dotenv":
      return "Fix PHYCLOUD_API_KEY in .env; this key may be revoked";
    case "profile":
      return `Save a valid key with phyware auth login ${
        key.origin.replace(/^profile "(.*)"$/, "--profile $1")
      }; this one may be revoked`;
    case "prompt":
      return `Give a valid key (${key.origin}); it may be revoked, or belong to another service`;
    case "default":
      return "Pass --api-key";
  }
}

/** What to do about an expired key, at the place it came from. */
export function expiredKeyFix(key: Pick<Sourced, "source" | "origin">): string {
  const another = "an admin makes one with phyware api-keys create --name NAME";
  return keyFix(key).replace(/valid key(.*)$/, `key that has not expired (${another})`);
}

/**
 * An error from the service with its remediation naming where the URL or the key actually came from
 * (`Check PHYCLOUD_URL`, `Put a valid key in --api-key-file "k"`), rather than every place it could have.
 */
export function remediateWithSources(
  error: PhywareError,
  sources: {
    url: Pick<Sourced, "source" | "origin">;
    apiKey: Pick<Sourced, "source" | "origin"> | undefined;
  },
): PhywareError {
  if (error.status === 401 && sources.apiKey !== undefined) {
    // An expired key is told apart (the service says so): another key is the fix, never a retry of this one.
    const expired = error.message.startsWith("API key expired");
    return withRemediation(
      error,
      expired ? expiredKeyFix(sources.apiKey) : keyFix(sources.apiKey),
    );
  }
  if (error.remediation?.includes("--url or PHYCLOUD_URL")) {
    return withRemediation(error, error.remediation.replace("--url or PHYCLOUD_URL", urlPlace(sources.url)));
  }
  return error;
}
