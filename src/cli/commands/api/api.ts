/**
 * `phyware api METHOD PATH [--data JSON|@FILE|@-]`: any PhyCloud endpoint with the URL, key, retries, errors
 * and exit codes of the other commands; prints the response body (JSON indented on a terminal).
 */
import { escapeUnsafe, neutraliseKeepingLines } from "../../../output/terminal_text.ts";
import type { Context } from "../../../context.ts";
import { quoted, ValidationError } from "../../../errors.ts";
import { redactSecrets } from "../../../wire/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";

/** The methods `phyware api` sends. */
export const API_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Where the body of `--data` comes from, before it is read. */
export type DataSource =
  | { kind: "none" }
  | { kind: "inline"; text: string }
  | { kind: "file"; path: string }
  | { kind: "stdin" };

/** Parsed options of `phyware api`. */
export interface ApiOptions {
  globals: GlobalOptions;
  method: typeof API_METHODS[number];
  /** The path below the service URL, with its query, starting with "/". */
  path: string;
  data: DataSource;
}

function parseMethod(raw: string): ApiOptions["method"] {
  const method = raw.toUpperCase();
  const known = API_METHODS.find((m) => m === method);
  if (!known) {
    throw new ValidationError(`Invalid METHOD ${quoted(raw)}: expected one of ${API_METHODS.join(", ")}`);
  }
  return known;
}

function parsePath(raw: string): string {
  // What is echoed never carries a key pasted into the path.
  const shown = quoted(redactSecrets(raw).slice(0, 80));
  // A full URL would let a typo send the key elsewhere: the host is always --url's (or its sources').
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    throw new ValidationError(
      `Invalid PATH ${shown}: give a path such as /v1/users; the host comes from --url`,
    );
  }
  // deno-lint-ignore no-control-regex
  if (raw === "" || /[\s\x00-\x1f\x7f#]/.test(raw)) {
    throw new ValidationError(
      `Invalid PATH ${shown}: expected a path such as /v1/users, without spaces or "#"`,
    );
  }
  const path = raw.startsWith("/") ? raw : `/${raw}`;
  if (path.startsWith("//")) {
    throw new ValidationError(`Invalid PATH ${shown}: it may not start with "//"`);
  }
  return path;
}

function parseData(raw: string | undefined): DataSource {
  if (raw === undefined) return { kind: "none" };
  if (raw === "@-") return { kind: "stdin" };
  if (raw.startsWith("@")) {
    if (raw.length === 1) throw new ValidationError('Invalid --data "@": expected @FILE or @- for stdin');
    return { kind: "file", path: raw.slice(1) };
  }
  return { kind: "inline", text: raw };
}

/** Parses the arguments of `phyware api`. */
export function parseApiOptions(
  method: string,
  path: string,
  raw: RawGlobalOptions & { data?: string },
): ApiOptions {
  const options = {
    globals: parseGlobalOptions(raw),
    method: parseMethod(method),
    path: parsePath(path),
    data: parseData(raw.data),
  };
  if (options.data.kind !== "none" && (options.method === "GET" || options.method === "HEAD")) {
    throw new ValidationError(
      `Invalid --data: a ${options.method} request has no body; use POST, PUT or PATCH`,
    );
  }
  return options;
}

async function readData(data: DataSource, ctx: Context): Promise<unknown> {
  if (data.kind === "none") return undefined;
  let text: string;
  let origin: string;
  if (data.kind === "inline") {
    text = data.text;
    origin = "--data";
  } else if (data.kind === "stdin") {
    text = await ctx.io.readStdin();
    origin = "--data @- (standard input)";
  } else {
    const read = await ctx.readTextFile(data.path);
    if (read === undefined) {
      throw new ValidationError(`Cannot read --data file ${quoted(data.path)}: no such file`);
    }
    text = read;
    origin = `--data file ${quoted(data.path)}`;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = error instanceof SyntaxError ? error.message : String(error);
    throw new ValidationError(`Invalid JSON in ${origin}: ${why}`, {
      remediation: "The body is sent as application/json; check its syntax",
    });
  }
}

/** Sends the request and prints the response body; errors are the other commands' errors. */
export async function runApi(options: ApiOptions, ctx: Context): Promise<void> {
  const body = await readData(options.data, ctx);
  const session = await openSession(options.globals, ctx);
  const writes = options.method !== "GET" && options.method !== "HEAD";
  const response = await session.client.request({
    method: options.method,
    path: options.path,
    ...(body === undefined ? {} : { body }),
    // Every write carries an Idempotency-Key, the same on each retry: PhyCloud makes such a retry safe.
    ...(writes ? { idempotencyKey: crypto.randomUUID() } : {}),
    retry: true,
    raw: true,
  });
  if (response.text === "") return;
  if (response.body !== undefined && ctx.io.stdoutIsTerminal) {
    return await ctx.io.stdout.write(`${escapeUnsafe(JSON.stringify(response.body, null, 2))}\n`);
  }
  if (ctx.io.stdoutIsTerminal) {
    // Not JSON: shown as text, with nothing in it that could steer the terminal.
    const text = neutraliseKeepingLines(response.text);
    return await ctx.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }
  await ctx.io.stdout.write(response.text.endsWith("\n") ? response.text : `${response.text}\n`);
}
