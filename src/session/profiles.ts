import type { Context } from "../context.ts";
import { PhywareError, quoted, ValidationError } from "../errors.ts";
import { otherOwner } from "../runtime/file_mode.ts";
import { lockFile, LockTimeoutError } from "../runtime/lock_file.ts";
import { checkPrivateFolder, ensurePrivateFolder, UnsafeFolderError } from "../runtime/private_folder.ts";
import { fileError } from "../file_error.ts";

// The global, not node:process, whose namespace costs every command start-up (src/runtime/process.ts).
const process = globalThis.process;

// node:path is loaded on use: evaluating it costs Bun about 2 ms, and `users get` with a key in the environment
// never needs it (bench/RESULTS.md, "Client start-up").
function join(...parts: string[]): string {
  return process.getBuiltinModule("node:path").join(...parts);
}

function dirname(path: string): string {
  return process.getBuiltinModule("node:path").dirname(path);
}

/** The profile used when neither --profile, PHYCLOUD_PROFILE nor config.json's `current` names one. */
export const DEFAULT_PROFILE = "default";

/** A saved connection: the service URL and its API key. */
export interface Profile {
  url: string;
  api_key: string;
}

/** What config.json holds. `profiles` has no prototype: a name is looked up as an own property only. */
export interface ConfigFile {
  /** The profile `auth login` or `auth switch` made current; null when none is. */
  current: string | null;
  profiles: Record<string, Profile>;
}

/** A config with no profiles. */
export function emptyConfig(): ConfigFile {
  return { current: null, profiles: Object.create(null) };
}

/**
 * The folder of config.json: `$PHYCLOUD_CONFIG_DIR`, else `$XDG_CONFIG_HOME/phyware`, else
 * `~/.config/phyware` (`%APPDATA%\phyware` on Windows); undefined when none can be known.
 */
export function configDir(ctx: Pick<Context, "env" | "homeDir" | "platform">): string | undefined {
  const { env } = ctx;
  if (env.PHYCLOUD_CONFIG_DIR) return env.PHYCLOUD_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "phyware");
  if (ctx.platform === "win32" && env.APPDATA) return join(env.APPDATA, "phyware");
  return ctx.homeDir === undefined ? undefined : join(ctx.homeDir, ".config", "phyware");
}

/** The path of config.json; throws when no config folder can be known. */
export function configPath(ctx: Pick<Context, "env" | "homeDir" | "platform">): string {
  const dir = configDir(ctx);
  if (dir === undefined) {
    throw new ValidationError("Cannot find a folder for config.json: no home folder", {
      remediation: "Set PHYCLOUD_CONFIG_DIR",
    });
  }
  return join(dir, "config.json");
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a profile name: letters, digits, ".", "_" and "-", up to 64 characters; `origin` names its source. */
export function parseProfileName(raw: string, origin = "--profile"): string {
  if (!PROFILE_NAME.test(raw)) {
    throw new ValidationError(
      `Invalid ${origin} ${quoted(raw.slice(0, 80))}: expected letters, digits, ".", "_" or "-"`,
    );
  }
  return raw;
}

/** The saved profile of that name, looked up as an own property (so `constructor` is no profile). */
export function profileOf(config: ConfigFile, name: string): Profile | undefined {
  return Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
}

/** The names of the saved profiles, in the file's order. */
export function profileNames(config: ConfigFile): string[] {
  return Object.keys(config.profiles);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks what config.json holds; throws naming the file when it is not a phyware config. */
export function parseConfig(text: string, path: string): ConfigFile {
  const broken = (why: string) =>
    new PhywareError(`Cannot read ${path}: ${why}`, {
      code: "CONFIG_ERROR",
      remediation: "Fix the file, or remove it and run phyware auth login again",
    });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw broken("not valid JSON");
  }
  if (!isRecord(value) || !isRecord(value.profiles)) throw broken('no "profiles" object');
  const config = emptyConfig();
  for (const [name, profile] of Object.entries(value.profiles)) {
    if (!PROFILE_NAME.test(name)) throw broken(`the profile name ${quoted(name.slice(0, 80))} is not valid`);
    if (!isRecord(profile) || typeof profile.url !== "string" || typeof profile.api_key !== "string") {
      throw broken(`profile ${quoted(name)} needs a "url" and an "api_key" string`);
    }
    config.profiles[name] = { url: profile.url, api_key: profile.api_key };
  }
  const current = value.current ?? null;
  if (current !== null && (typeof current !== "string" || profileOf(config, current) === undefined)) {
    throw broken(`"current" names no saved profile: ${quoted(String(current).slice(0, 80))}`);
  }
  config.current = current;
  return config;
}

/** The text of config.json: `current` first, then the profiles. */
export function configText(config: ConfigFile): string {
  return JSON.stringify({ current: config.current, profiles: config.profiles }, null, 2) + "\n";
}

type ReadContext = Pick<Context, "env" | "homeDir" | "platform" | "readTextFile" | "fileMode" | "io">;

/**
 * Warns when a file holding keys can be read by others, or belongs to another user (who could change it).
 * config.json holds every saved key, so it gets the same rule as `--api-key-file`.
 */
export async function warnIfNotPrivate(
  path: string,
  origin: string,
  ctx: Pick<Context, "fileMode" | "io">,
): Promise<void> {
  const mode = await ctx.fileMode(path);
  if (mode !== undefined && (mode & 0o077) !== 0) {
    await ctx.io.stderr.write(
      `warning: ${origin} ${quoted(path)} can be read by others (mode ${
        mode.toString(8).padStart(4, "0")
      }) ` +
        `- Run chmod 600 ${quoted(path)}\n`,
    );
  }
  const owner = await otherOwner(path);
  if (owner !== undefined) {
    await ctx.io.stderr.write(
      `warning: ${origin} ${quoted(path)} belongs to another user (uid ${owner}), who can change it ` +
        "- Use a file of your own\n",
    );
  }
}

/**
 * Reads config.json; no file means no profiles. It warns when the file is not private, unless `warn` is false
 * (a change rewrites the file 0600 as its own, so it says nothing twice).
 */
export async function readConfig(
  ctx: ReadContext,
  { warn = true }: { warn?: boolean } = {},
): Promise<{ path: string; config: ConfigFile }> {
  const path = configPath(ctx);
  const folder = dirname(path);
  let text: string | undefined;
  try {
    // Keys are not taken from a folder others can change (nor is one written there, see updateConfig).
    text = await ctx.readTextFile(path);
    if (text !== undefined) await checkPrivateFolder(folder);
  } catch (error) {
    throw folderError(error, folder, `read the config file ${quoted(path)}`);
  }
  if (text === undefined) return { path, config: emptyConfig() };
  const config = parseConfig(text, path);
  if (warn) await warnIfNotPrivate(path, "the config file", ctx);
  return { path, config };
}

/** A file-system failure of the config folder as one line that names the folder and PHYCLOUD_CONFIG_DIR. */
function folderError(
  error: unknown,
  folder: string,
  action = `write to the config folder ${quoted(folder)}`,
): unknown {
  if (error instanceof PhywareError) return error;
  if (error instanceof UnsafeFolderError) {
    return new PhywareError(`Refusing to use the config folder ${quoted(folder)}: ${error.reason}`, {
      code: "CONFIG_ERROR",
      remediation: `${error.fix}, or set PHYCLOUD_CONFIG_DIR to one`,
    });
  }
  return fileError(error, action, {
    code: "CONFIG_ERROR",
    remediation: action.startsWith("read")
      ? `Check ${quoted(folder)}, or set PHYCLOUD_CONFIG_DIR to a folder of your own`
      : "Set PHYCLOUD_CONFIG_DIR to a folder you can write to",
  }) ?? error;
}

/**
 * Makes sure config.json's folder can be written before a command asks for anything (auth login's key):
 * created 0700 when missing, refused when unsafe, a one-line error when read-only.
 */
export async function prepareConfigFolder(ctx: Pick<Context, "env" | "homeDir" | "platform">): Promise<void> {
  const folder = dirname(configPath(ctx));
  try {
    await ensurePrivateFolder(folder);
  } catch (error) {
    throw folderError(error, folder);
  }
}

type WriteContext = ReadContext & Pick<Context, "writePrivateFile">;

/**
 * Changes config.json: a read-modify-write under an exclusive lock (`config.json.lock` beside it), so that
 * concurrent logins and logouts never lose each other's changes. `change` gets the file as it is now, after
 * any network call the caller made, and edits it in place; its result is returned. The folder is created
 * 0700, or refused when others can write to it.
 */
export async function updateConfig<T>(
  ctx: WriteContext,
  change: (config: ConfigFile, path: string) => T,
): Promise<{ path: string; result: T }> {
  const path = configPath(ctx);
  const folder = dirname(path);
  let release: () => Promise<void>;
  try {
    await ensurePrivateFolder(folder);
    release = await lockFile(`${path}.lock`);
  } catch (error) {
    if (error instanceof LockTimeoutError) {
      throw new PhywareError(
        `Cannot change ${path}: its lock ${quoted(error.path)} is held by ${error.holder}`,
        {
          code: "CONFIG_ERROR",
          remediation: "Try again once the other phyware command has finished",
        },
      );
    }
    throw folderError(error, folder);
  }
  try {
    const { config } = await readConfig(ctx, { warn: false });
    const result = change(config, path);
    await ctx.writePrivateFile(path, configText(config));
    return { path, result };
  } catch (error) {
    throw folderError(error, folder);
  } finally {
    await release().catch(() => {});
  }
}
