/** `phyware server start`: runs the users service until SIGINT or SIGTERM. */
import { Command } from "@commander-js/extra-typings";
import type { Context, ServerHost } from "../../../context.ts";
import { ConnectionError, quoted, ValidationError } from "../../../errors.ts";
import { addFlags } from "../../../flags/commander.ts";
import { isApiKeyShape } from "../../../server/defaults.ts";
import { bareAddress } from "../../../server/mail/message.ts";
import { resolveDbPath, resolveOutboxDir } from "./paths.ts";
import { parseEmail } from "../../../arguments/email.ts";
import { databaseOpenProblem } from "./database_error.ts";
import { START_FLAGS } from "./flags.ts";

/** Settings of `server start`, after parsing. */
export interface ServerStartOptions {
  hostname: string;
  port: number;
  dbPath: string;
  smtpUrl: string | undefined;
  outboxDir: string;
  publicUrl: string | undefined;
  rateLimit: number;
  inviteRateLimit: number;
  tenantRateLimit: number;
  tenantInviteRateLimit: number;
  authFailureLimit: number;
  maxApiKeys: number;
  resendCooldownSeconds: number;
  eventRetentionDays: number;
  trustProxy: boolean;
  bootstrapApiKey: string | undefined;
  adminEmail: string | undefined;
  mailFrom: string | undefined;
  metrics: boolean;
  metricsListen: { hostname: string; port: number } | undefined;
  logFormat: "text" | "json";
}

/** Raw option values of `server start`. */
export interface RawServerStartOptions {
  host: string;
  port: string;
  db?: string | undefined;
  smtpUrl?: string | undefined;
  outbox?: string | undefined;
  publicUrl?: string | undefined;
  rateLimit: string;
  inviteRateLimit: string;
  tenantRateLimit: string;
  tenantInviteRateLimit: string;
  authFailureLimit: string;
  maxApiKeys: string;
  resendCooldown: string;
  eventRetention: string;
  trustProxy?: true | undefined;
  adminEmail?: string | undefined;
  mailFrom?: string | undefined;
  metrics?: true | undefined;
  metricsListen?: string | undefined;
  logFormat?: string | undefined;
}

function parseInteger(flag: string, value: string, max: number): number {
  const n = /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n <= max)) {
    throw new ValidationError(`Invalid ${flag} ${quoted(value)}: expected an integer from 0 to ${max}`);
  }
  return n;
}

// A URL as it may be quoted in an error: without its user name and password (an SMTP URL carries them).
function withoutCredentials(value: string, url: URL | undefined): string {
  if (url && (url.username !== "" || url.password !== "")) {
    url.username = "";
    url.password = "";
    return url.href;
  }
  // Not a URL, or one that URL kept no credentials of: drop anything that looks like userinfo anyway.
  return value.replace(/^([^/?#]*\/\/)[^/?#]*@/, "$1").replace(/^([a-z][a-z0-9+.-]*:)[^/?#@]*@/i, "$1");
}

function parseUrl(flag: string, value: string | undefined, protocols: string[]): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`Invalid ${flag} ${quoted(withoutCredentials(value, undefined))}: not a URL`);
  }
  if (value.length > 500) throw new ValidationError(`Invalid ${flag}: longer than 500 characters`);
  if (!protocols.includes(url.protocol)) {
    throw new ValidationError(
      `Invalid ${flag} ${quoted(withoutCredentials(value, url))}: expected ${
        protocols.map((p) => `${p}//`).join(" or ")
      }`,
    );
  }
  return value;
}

function parseMailFrom(value: string): string {
  // It becomes a header line, so a control character could inject headers.
  if (/\p{Cc}/u.test(value) || value.length > 300 || !bareAddress(value).includes("@")) {
    throw new ValidationError(
      `Invalid --mail-from ${quoted(value)}: expected an address such as "PhyCloud <no-reply@example.com>"`,
    );
  }
  return value;
}

// HOST:PORT, [IPv6]:PORT, or a bare PORT (on 127.0.0.1).
function parseListen(value: string | undefined): { hostname: string; port: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):)?([0-9]{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || !(port <= 65535)) {
    throw new ValidationError(
      `Invalid --metrics-listen ${quoted(value)}: expected HOST:PORT, such as 127.0.0.1:9464`,
    );
  }
  return { hostname: (match[1] ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1"), port };
}

function parseLogFormat(value: string | undefined): "text" | "json" {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new ValidationError(`Invalid --log-format ${quoted(value)}: expected "text" or "json"`);
}

/** Turns flags and environment into settings; throws ValidationError on bad input. */
export function parseServerStartArgs(
  raw: RawServerStartOptions,
  ctx: Pick<Context, "env" | "homeDir" | "platform">,
): ServerStartOptions {
  if (raw.host.trim() === "") throw new ValidationError('Invalid --host "": expected a host name or address');
  const dbPath = resolveDbPath(raw.db, ctx);
  const bootstrapApiKey = ctx.env.PHYCLOUD_BOOTSTRAP_API_KEY || undefined;
  if (bootstrapApiKey !== undefined && !isApiKeyShape(bootstrapApiKey)) {
    // The value is a secret: name the variable, never echo it.
    throw new ValidationError(
      "Invalid PHYCLOUD_BOOTSTRAP_API_KEY: expected phy_ followed by at least 32 letters and digits",
    );
  }
  return {
    hostname: raw.host,
    port: parseInteger("--port", raw.port, 65535),
    dbPath,
    smtpUrl: parseUrl("--smtp-url", raw.smtpUrl, ["smtp:", "smtps:"]),
    outboxDir: resolveOutboxDir(raw.outbox, dbPath),
    publicUrl: parseUrl("--public-url", raw.publicUrl, ["http:", "https:"]),
    rateLimit: parseInteger("--rate-limit", raw.rateLimit, 1_000_000_000),
    inviteRateLimit: parseInteger("--invite-rate-limit", raw.inviteRateLimit, 1_000_000_000),
    tenantRateLimit: parseInteger("--tenant-rate-limit", raw.tenantRateLimit, 1_000_000_000),
    tenantInviteRateLimit: parseInteger(
      "--tenant-invite-rate-limit",
      raw.tenantInviteRateLimit,
      1_000_000_000,
    ),
    authFailureLimit: parseInteger("--auth-failure-limit", raw.authFailureLimit, 1_000_000_000),
    maxApiKeys: parseInteger("--max-api-keys", raw.maxApiKeys, 1_000_000_000),
    resendCooldownSeconds: parseInteger("--resend-cooldown", raw.resendCooldown, 86_400),
    eventRetentionDays: parseInteger("--event-retention", raw.eventRetention, 36_500),
    trustProxy: raw.trustProxy === true,
    bootstrapApiKey,
    adminEmail: raw.adminEmail === undefined ? undefined : parseEmail(raw.adminEmail, "--admin-email"),
    mailFrom: raw.mailFrom === undefined ? undefined : parseMailFrom(raw.mailFrom),
    metrics: raw.metrics === true,
    metricsListen: parseListen(raw.metricsListen),
    logFormat: parseLogFormat(raw.logFormat),
  };
}

/** Runs the service until the shutdown signal, then closes the listener, mail and database. */
export async function runServerStart(
  options: ServerStartOptions,
  ctx: Context,
  host: ServerHost,
): Promise<void> {
  // The service (SQLite, mail, crypto) loads only here, so the client commands never pay for it.
  const [{ DatabaseOpenError, ListenError, startServer }, { RequestLog }] = await Promise.all([
    import("../../../server/mod.ts"),
    import("../../../server/request_log.ts"),
  ]);
  const shutdown = host.shutdownSignal();
  const log = new RequestLog((text) => ctx.io.stderr.write(text));
  let server;
  try {
    server = await startServer(options, { serve: host.serve, log: log.line, now: ctx.now });
  } catch (error) {
    if (error instanceof ListenError) {
      throw new ConnectionError(error.message, {
        remediation: "Check --host and --port (0 picks a free port)",
      });
    }
    if (error instanceof DatabaseOpenError) throw databaseOpenProblem(error);
    throw error;
  }
  try {
    await ctx.io.stderr.write(`phyware server listening on ${server.url}\n`);
    if (server.metricsUrl !== undefined) {
      await ctx.io.stderr.write(`phyware server metrics on ${server.metricsUrl}/metrics\n`);
    }
    if (server.generatedApiKey !== undefined) {
      await ctx.io.stderr.write(
        `phyware server created tenant "default"; its admin API key (shown once, keep it): ${server.generatedApiKey}\n`,
      );
    }
    if (options.bootstrapApiKey !== undefined && !server.bootstrapped) {
      // Said once, never with the value: a CI job that expects its key to work should learn why it does not.
      await ctx.io.stderr.write(
        "phyware server did not apply PHYCLOUD_BOOTSTRAP_API_KEY: the database is already initialised " +
          "(keys are set only on the first start)\n",
      );
    }
    log.release();
    if (!shutdown.aborted) {
      await new Promise<void>((resolve) =>
        shutdown.addEventListener("abort", () => resolve(), { once: true })
      );
    }
  } finally {
    // Requests in flight finish, then mail in flight, then the database closes: no committed write is lost.
    await server.close();
    await log.flush();
  }
}

/** The `start` verb. */
export function startCommand(ctx: Context, host: ServerHost): Command {
  return addFlags(new Command("start"), START_FLAGS)
    .description("Run the users service (stops cleanly on SIGINT or SIGTERM)")
    .addHelpText(
      "after",
      '\nOn a first start it creates the tenant "default" with an admin user and an admin:users API key:\n' +
        "PHYCLOUD_BOOTSTRAP_API_KEY, when set, is that key; otherwise a random key is printed once on stderr.",
    )
    .action(async (raw) => {
      await runServerStart(parseServerStartArgs(raw, ctx), ctx, host);
    });
}
