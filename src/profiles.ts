// The global, not node:process, whose namespace costs every command start-up (src/runtime/process.ts).
const process = globalThis.process;
import type { Context } from "./context.ts";
import { PhywareError, quoted, ValidationError } from "./errors.ts";

// node:path is loaded on use: evaluating it costs Bun about 2 ms, and `users get` with a key in the environment
// never needs it (bench/RESULTS.md, "Client start-up").
function join(...parts: string[]): string {
  return process.getBuiltinModule("node:path").join(...parts);
}

/** The profile used when neither --profile nor PHYCLOUD_PROFILE names one. */
export const DEFAULT_PROFILE = "default";

/** A saved connection: the service URL and its API key. */
export interface Profile {
  url: string;
  api_key: string;
}

/** What config.json holds. */
export interface ConfigFile {
  profiles: Record<string, Profile>;
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

/** Checks a profile name: letters, digits, ".", "_" and "-", up to 64 characters. */
export function parseProfileName(raw: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(raw)) {
    throw new ValidationError(
      `Invalid --profile ${quoted(raw.slice(0, 80))}: expected letters, digits, ".", "_" or "-"`,
    );
  }
  return raw;
}

/** The profile named by --profile, else PHYCLOUD_PROFILE, else `default`. */
export function parseProfileOption(raw: string | undefined, ctx: Pick<Context, "env">): string {
  return parseProfileName(raw ?? (ctx.env.PHYCLOUD_PROFILE || DEFAULT_PROFILE));
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
  const profiles: Record<string, Profile> = {};
  for (const [name, profile] of Object.entries(value.profiles)) {
    if (!isRecord(profile) || typeof profile.url !== "string" || typeof profile.api_key !== "string") {
      throw broken(`profile ${quoted(name)} needs a "url" and an "api_key" string`);
    }
    profiles[name] = { url: profile.url, api_key: profile.api_key };
  }
  return { profiles };
}

/** Reads config.json; no file means no profiles. */
export async function readConfig(
  ctx: Pick<Context, "env" | "homeDir" | "platform" | "readTextFile">,
): Promise<{
  path: string;
  config: ConfigFile;
}> {
  const path = configPath(ctx);
  const text = await ctx.readTextFile(path);
  return { path, config: text === undefined ? { profiles: {} } : parseConfig(text, path) };
}

/** Writes config.json, 0600 in its 0700 folder. */
export async function writeConfig(ctx: Pick<Context, "writePrivateFile">, path: string, config: ConfigFile) {
  await ctx.writePrivateFile(path, JSON.stringify(config, null, 2) + "\n");
}
