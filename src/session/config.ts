import type { Context } from "../context.ts";
import { quoted, ValidationError } from "../errors.ts";

/** The spec's default service URL. */
export const DEFAULT_URL = "http://localhost:8000";
/** Longest duration a flag accepts: a day, well inside what timers can hold. */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
/** Default time limit of one HTTP request, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Checks a service URL and returns it without a trailing slash. `origin` names where the value came from
 * (`--url`, `PHYCLOUD_URL`, `PHYCLOUD_URL in .env`, `profile "acme"`), and `place` where to fix it.
 */
export function parseServiceUrl(raw: string, origin = "--url", place = origin): string {
  const flagLike = origin === "--url" || origin === "PHYCLOUD_URL";
  const what = (value?: string) =>
    flagLike
      ? `Invalid ${origin}${value === undefined ? "" : ` ${quoted(value)}`}`
      : `Invalid URL${value === undefined ? "" : ` ${quoted(value)}`} from ${origin}`;
  const details = origin === "--url" ? {} : { remediation: `Fix ${place}` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(`${what(raw)}: not an absolute URL`, details);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(`${what(raw)}: the scheme must be http or https`, details);
  }
  if (url.username !== "" || url.password !== "") {
    throw new ValidationError(`${what()}: credentials in the URL are not allowed, use --api-key`, details);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ValidationError(`${what(raw)}: a query or fragment is not allowed`, details);
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Parses `.env` text; a later `export` prefix, quotes and comments follow node:util's parseEnv. node:util is
 * loaded only when there is a `.env` to read: evaluating it costs Bun about 10 ms of start-up.
 */
export async function parseDotenv(text: string): Promise<Record<string, string>> {
  const { parseEnv } = await import("node:util");
  return { ...parseEnv(text) } as Record<string, string>;
}

/**
 * The path of `.env` in a working directory (absolute and normalised, as process.cwd() gives it), without
 * node:path: evaluating it costs Bun about 2 ms of every `users get` (bench/RESULTS.md, "Client start-up").
 */
export function dotenvPath(cwd: string, platform: string): string {
  const sep = platform === "win32" ? "\\" : "/";
  return cwd.endsWith(sep) || cwd.endsWith("/") ? `${cwd}.env` : `${cwd}${sep}.env`;
}

/** Reads `.env` from the working directory; an absent file (or a folder of that name) gives no variables. */
export async function loadDotenv(
  ctx: Pick<Context, "cwd" | "platform" | "readTextFile">,
): Promise<Record<string, string>> {
  let text: string | undefined;
  try {
    text = await ctx.readTextFile(dotenvPath(ctx.cwd, ctx.platform));
  } catch (error) {
    // A folder named .env (a Python virtual environment, often) is no dotenv file.
    if ((error as { code?: unknown } | null)?.code !== "EISDIR") throw error;
  }
  return text === undefined ? {} : await parseDotenv(text);
}

/** Parses a duration such as "30", "30s", "500ms" or "2m" into milliseconds. */
export function parseDuration(raw: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(raw);
  if (!match) {
    throw new ValidationError(`Invalid ${flag} ${quoted(raw)}: expected a duration such as 30s, 500ms or 2m`);
  }
  const value = Number(match[1]);
  const unit = match[2] ?? "s";
  const ms = Math.round(unit === "ms" ? value : unit === "s" ? value * 1000 : value * 60_000);
  if (ms < 1) throw new ValidationError(`Invalid ${flag} ${quoted(raw)}: must be at least 1ms`);
  if (ms > MAX_DURATION_MS) {
    throw new ValidationError(`Invalid ${flag} ${quoted(raw)}: must be at most 24h (1440m)`);
  }
  return ms;
}
