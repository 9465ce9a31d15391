/**
 * The reference PhyCloud users service: `createService` builds the handler over a database (handler-level
 * tests call it with `new Request(...)`), `startServer` also listens and bootstraps the first tenant.
 */
import type { Handler, ListeningServer, ServerHost } from "../context.ts";
import { createApp, type LogFormat } from "./app.ts";
import { BackgroundWrites } from "./background_writes.ts";
import { DatabaseFileLostError } from "./store/file_identity.ts";
import type { LogLine } from "./log_line.ts";
import { ApiKeyCache } from "./key_cache.ts";
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_EVENT_RETENTION_DAYS,
  DEFAULT_INVITE_RATE_LIMIT,
  DEFAULT_MAX_API_KEYS,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RESEND_COOLDOWN_SECONDS,
  DEFAULT_TENANT_INVITE_RATE_LIMIT,
  DEFAULT_TENANT_RATE_LIMIT,
} from "./defaults.ts";
import type { AppEnv } from "./env.ts";
import { hashSecret, newSecret, randomBase62, SECRET_PREFIX } from "./ids.ts";
import { IDEMPOTENCY_TTL_MS } from "./idempotency.ts";
import { InvitationSender } from "./mail/sender.ts";
import { type MailTransport, outboxTransport, smtpTransport } from "./mail/transport.ts";
import { Limits } from "./limits.ts";
import { SharedLimits } from "./shared_limits.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { API_HEADERS } from "./problem.ts";
import { openStore } from "./store/open.ts";
import { processExists, thisProcess } from "../runtime/process_identity.ts";
import type { Store } from "./store/types.ts";

export { DEFAULT_INVITE_RATE_LIMIT, DEFAULT_RATE_LIMIT, isApiKeyShape } from "./defaults.ts";
export { DatabaseOpenError } from "./store/open.ts";
/** Name of the tenant created on the first start. */
export const DEFAULT_TENANT = "default";
/** Default From address of invitations. */
export const DEFAULT_MAIL_FROM = "PhyCloud <no-reply@phycloud.invalid>";
const MAIL_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];
// Longer than one SMTP attempt can take (10 s to connect, 10 s for the greeting, 30 s idle).
const MAIL_LEASE_MS = 60_000;
const MAIL_POLL_MS = 1_000;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;
// How long a start waits for another process's write lock, as opening and migrating do (busy_timeout).
const START_LOCK_WAIT_MS = 5000;
// How often the database file's identity is checked when no write checks it.
const STORAGE_CHECK_MS = 1000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
// Keys' last use and failed authentications wait at most this long in memory.
const BACKGROUND_FLUSH_MS = 5_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The listener could not be started (port in use, no permission...). */
export class ListenError extends Error {
  constructor(hostname: string, port: number, reason: string) {
    super(`Cannot listen on ${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}: ${reason}`);
    this.name = "ListenError";
  }
}

/**
 * Why a listener could not start, in words that fit: runtimes word it loosely (Bun says "Is port 0 in use?"
 * for a host that does not exist), so a host that does not resolve is found out first.
 */
async function listenFailure(hostname: string, port: number, error: unknown): Promise<string> {
  const { lookup } = await import("node:dns/promises");
  const resolves = await lookup(hostname).then(() => true, () => false);
  if (!resolves) return `${JSON.stringify(hostname)} is neither an IP address nor a host name that resolves`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRNOTAVAIL") return `${JSON.stringify(hostname)} is not an address of this machine`;
  if (code === "EACCES") return "permission denied (ports below 1024 need privileges)";
  if (code === "EADDRINUSE" && port !== 0) return `port ${port} is in use`;
  return error instanceof Error ? error.message : String(error);
}

/** Settings of the service, as `server start` resolves them. */
export interface ServiceOptions {
  /** SQLite file, `:memory:`, or a `postgres://` URL. */
  dbPath: string;
  /** Send invitations over SMTP (`smtp://host:port`); otherwise they go to `outboxDir`. */
  smtpUrl?: string | undefined;
  /** Directory of `.eml` files when there is no SMTP URL. */
  outboxDir: string;
  /** Base URL of the accept link; defaults to the listening URL. */
  publicUrl?: string | undefined;
  /** Requests per minute per credential; 0 turns the limit off. */
  rateLimit?: number | undefined;
  /** Invitations per minute per credential; 0 turns the limit off. */
  inviteRateLimit?: number | undefined;
  /** Requests per minute per tenant; 0 turns the limit off. */
  tenantRateLimit?: number | undefined;
  /** Invitations per minute per tenant; 0 turns the limit off. */
  tenantInviteRateLimit?: number | undefined;
  /** Failed authentications per minute per client address; 0 turns the limit off. */
  authFailureLimit?: number | undefined;
  /** Active API keys a user may hold; 0: no limit. */
  maxApiKeys?: number | undefined;
  /** Seconds between two invitation emails to one user (a resend sooner is a 429); 0 turns it off. */
  resendCooldownSeconds?: number | undefined;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy?: boolean | undefined;
  /** From address of invitations. */
  mailFrom?: string | undefined;
  /** Waits between mail attempts (tests shorten them). */
  mailRetryDelaysMs?: readonly number[] | undefined;
  /** How long a claimed invitation email is one process's before another may send it (tests shorten it). */
  mailLeaseMs?: number | undefined;
  /** How often the outbox is checked for due emails nobody woke the sender for. */
  mailPollMs?: number | undefined;
  /** `json`: one JSON object per log line (default `text`). */
  logFormat?: LogFormat | undefined;
  /** Serve `GET /metrics` on the API's listener (to admin:users credentials). */
  metrics?: boolean | undefined;
  /** Keep metrics even without the route (startServer sets it for `metricsListen`). */
  collectMetrics?: boolean | undefined;
  /** Days audit events are kept (purged with the hourly purge); 0 keeps them forever. */
  eventRetentionDays?: number | undefined;
}

/** Options of `startServer`: the service's plus where to listen and the first-start key. */
export interface ServerOptions extends ServiceOptions {
  hostname: string;
  port: number;
  /** Exact value of the bootstrap API key (PHYCLOUD_BOOTSTRAP_API_KEY); random when absent. */
  bootstrapApiKey?: string | undefined;
  /** Email of the bootstrap tenant's admin user. */
  adminEmail?: string | undefined;
  /** Serve `GET /metrics`, without a credential, on a listener of its own at this address. */
  metricsListen?: { hostname: string; port: number } | undefined;
}

/** What the service needs from its host. */
export interface ServerDeps {
  /** Starts the HTTP listener (the runtime's, through ServerHost). */
  serve: ServerHost["serve"];
  /** Receives request log lines and mail failures. */
  log?: LogLine | undefined;
  /** The clock. */
  now?: (() => Date) | undefined;
  /** Replaces the SMTP or outbox transport (tests capture messages with it). */
  mailTransport?: MailTransport | undefined;
  /** How often expired records are purged (default hourly; tests shorten it). */
  purgeIntervalMs?: number | undefined;
  /** How often the database file's identity is checked between writes (default every second). */
  storageCheckMs?: number | undefined;
  /** How often keys' last use and failed authentications are written (default 5 s; tests shorten it). */
  backgroundFlushMs?: number | undefined;
  /** Wraps the opened store; tests inject a store failure through it to see the service's own answer. */
  wrapStore?: ((store: Store) => Store) | undefined;
}

/** The service over an open database, not yet listening. */
export interface Service {
  handler: Handler;
  store: Store;
  /** The metrics, when on. */
  metrics: Metrics | undefined;
  /** Resolves once the outbox holds no invitation email waiting to be sent (sent or given up). */
  mailIdle(): Promise<void>;
  /** Sets the base URL of accept links once the port is known, and starts sending (without `publicUrl`). */
  setPublicUrl(url: string): void;
  /** Writes the keys' last use and the failed authentications gathered so far (the timer does it too). */
  flushBackground(): Promise<void>;
  /** Stops the mail sender (unsent emails stay queued for the next start) and closes the database. */
  close(): Promise<void>;
}

/** A started server. */
export interface RunningServer {
  /** `http://host:port` of the listener. */
  url: string;
  port: number;
  hostname: string;
  /** The random bootstrap key, on a first start without PHYCLOUD_BOOTSTRAP_API_KEY; shown once. */
  generatedApiKey: string | undefined;
  /** True when this start created the `default` tenant (the database was not initialised before). */
  bootstrapped: boolean;
  /** `http://host:port` of the metrics listener (`metricsListen`). */
  metricsUrl: string | undefined;
  service: Service;
  /** Stops listening (requests in flight finish), then closes mail and the database. */
  close(): Promise<void>;
}

/** Opens the database and builds the handler. */
export async function createService(
  options: ServiceOptions,
  deps: Omit<ServerDeps, "serve"> = {},
): Promise<Service> {
  const rawLog = deps.log ?? (() => {});
  const now = deps.now ?? (() => new Date());

  // The mail sender's and the purge's lines, as JSON objects too under --log-format json.
  const log: LogLine = options.logFormat === "json"
    ? (line) => rawLog(JSON.stringify({ time: now().toISOString(), level: "warn", message: line }))
    : rawLog;
  // Opening, the start's first write and the first start's bootstrap reject with the store's
  // DatabaseOpenError (naming the database and what is wrong), which the command puts in its words.
  const opened: Store = await openStore(options.dbPath);
  const store = deps.wrapStore?.(opened) ?? opened;
  try {
    const retentionDays = options.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS;
    const eventsBefore = () =>
      retentionDays > 0 ? new Date(now().getTime() - retentionDays * DAY_MS).toISOString() : undefined;
    // The start's reads and a write (a purge, which takes the write lock even with nothing to purge): a
    // database another process holds locked (for longer than opening waits), or a read-only one, stops the
    // start here with one line saying which.
    const { cursorSecret } = await store.startUp({
      cursorSecret: () => randomBase62(43),
      now: now().toISOString(),
      idempotencyBefore: new Date(now().getTime() - IDEMPOTENCY_TTL_MS).toISOString(),
      eventsBefore: eventsBefore(),
      lockWaitMs: START_LOCK_WAIT_MS,
    });
    const metrics = options.metrics || options.collectMetrics ? await createMetrics(store, now) : undefined;
    const transport: MailTransport = deps.mailTransport ??
      (options.smtpUrl ? smtpTransport(options.smtpUrl) : outboxTransport(options.outboxDir));
    let publicUrl = options.publicUrl?.replace(/\/+$/, "") ?? "http://localhost";
    const sender = new InvitationSender(store.outbox, transport, {
      from: options.mailFrom ?? DEFAULT_MAIL_FROM,
      retryDelaysMs: options.mailRetryDelaysMs ?? MAIL_RETRY_DELAYS_MS,
      leaseMs: options.mailLeaseMs ?? MAIL_LEASE_MS,
      pollMs: options.mailPollMs ?? MAIL_POLL_MS,
      publicUrl: () => publicUrl,
      log,
      now,
      holder: thisProcess(),
      processExists,
    });
    // Emails left from an earlier run go out once the accept links' base is known.
    if (options.publicUrl !== undefined) sender.start();
    const clock = () => now().getTime();
    const limitSettings = {
      rate: options.rateLimit ?? DEFAULT_RATE_LIMIT,
      tenantRate: options.tenantRateLimit ?? DEFAULT_TENANT_RATE_LIMIT,
      inviteRate: options.inviteRateLimit ?? DEFAULT_INVITE_RATE_LIMIT,
      tenantInviteRate: options.tenantInviteRateLimit ?? DEFAULT_TENANT_INVITE_RATE_LIMIT,
      authFailures: options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT,
    };
    // A deleted or replaced database file is logged once, found by a write or by the check every second.
    let storageLost = false;
    const onStorageLost = (error: Error) => {
      if (storageLost) return;
      storageLost = true;
      log(`${now().toISOString()} error: ${error.message}`);
    };
    // A failed flush of keys' last use and failed logins is logged; a lost database file is said once.
    const background = new BackgroundWrites(store, now, (error, lost) => {
      if (error instanceof DatabaseFileLostError) return onStorageLost(error);
      log(`${now().toISOString()} background write failed (${lost} lost): ${asError(error).message}`);
    });
    const watch = setInterval(
      () => void store.verifyStorage().catch((error: unknown) => onStorageLost(asError(error))),
      deps.storageCheckMs ?? STORAGE_CHECK_MS,
    );
    const env: AppEnv = {
      store,
      keyCache: new ApiKeyCache(clock),
      wakeMailer: () => sender.wake(),
      now,
      // An engine shared by several instances keeps the limits' buckets, so they hold for the whole service.
      limits: store.buckets
        ? new SharedLimits(store.buckets, limitSettings, clock)
        : new Limits(limitSettings, clock),
      maxApiKeys: options.maxApiKeys ?? DEFAULT_MAX_API_KEYS,
      trustProxy: options.trustProxy ?? false,
      resendCooldownMs: (options.resendCooldownSeconds ?? DEFAULT_RESEND_COOLDOWN_SECONDS) * 1000,
      cursorSecret,
      metrics,
      metricsRoute: options.metrics === true,
      onStorageLost,
      background,
    };
    // The store's methods reject rather than throw, so a failing purge (a busy or closed database) is logged
    // and the timer lives on.
    const purge = () =>
      store.purgeExpired(
        now().toISOString(),
        new Date(now().getTime() - IDEMPOTENCY_TTL_MS).toISOString(),
        eventsBefore(),
      )
        .catch((error: unknown) =>
          log(
            `${now().toISOString()} purge failed: ${error instanceof Error ? error.message : String(error)}`,
          )
        );
    const timer = setInterval(purge, deps.purgeIntervalMs ?? PURGE_INTERVAL_MS);
    const flushTimer = setInterval(() => background.flush(), deps.backgroundFlushMs ?? BACKGROUND_FLUSH_MS);
    let closed: Promise<void> | undefined;
    return {
      handler: createApp(env, rawLog, options.logFormat),
      store,
      metrics,
      mailIdle: () => sender.idle(),
      flushBackground: () => background.flush(),
      setPublicUrl(url) {
        if (options.publicUrl !== undefined) return;
        publicUrl = url.replace(/\/+$/, "");
        sender.start();
      },
      close() {
        closed ??= (async () => {
          clearInterval(timer);
          clearInterval(watch);
          clearInterval(flushTimer);
          // What requests noted before the listener closed is written before the database closes.
          await background.flush();
          await sender.close();
          await store.close();
        })();
        return closed;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function urlHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

// The metrics listener: GET /metrics and nothing else.
function metricsHandler(metrics: Metrics): Handler {
  return async (request) => {
    if (new URL(request.url).pathname !== "/metrics" || !["GET", "HEAD"].includes(request.method)) {
      return new Response("Not found: this listener serves GET /metrics\n", {
        status: 404,
        headers: { ...API_HEADERS, "content-type": "text/plain; charset=utf-8" },
      });
    }
    try {
      const { contentType, text } = await metrics.exposition();
      return new Response(text, { status: 200, headers: { ...API_HEADERS, "content-type": contentType } });
    } catch (error) {
      // The outbox gauges read the database: busy or closing, this scrape fails and the next one works.
      const reason = error instanceof Error ? error.message : String(error);
      return new Response(`Metrics unavailable: ${reason}\n`, {
        status: 503,
        headers: { ...API_HEADERS, "content-type": "text/plain; charset=utf-8", "retry-after": "1" },
      });
    }
  };
}

/** Opens the database, listens, and on a first start creates the `default` tenant with its admin and key. */
export async function startServer(options: ServerOptions, deps: ServerDeps): Promise<RunningServer> {
  const now = deps.now ?? (() => new Date());
  const service = await createService(
    { ...options, collectMetrics: options.collectMetrics || options.metricsListen !== undefined },
    deps,
  );
  let listener;
  try {
    listener = await deps.serve(service.handler, { hostname: options.hostname, port: options.port });
  } catch (error) {
    await service.close();
    throw new ListenError(
      options.hostname,
      options.port,
      await listenFailure(options.hostname, options.port, error),
    );
  }
  let metricsListener: ListeningServer | undefined;
  if (options.metricsListen !== undefined && service.metrics !== undefined) {
    const { hostname, port } = options.metricsListen;
    try {
      metricsListener = await deps.serve(metricsHandler(service.metrics), { hostname, port });
    } catch (error) {
      await listener.close();
      await service.close();
      throw new ListenError(hostname, port, await listenFailure(hostname, port, error));
    }
  }
  const url = `http://${urlHost(listener.hostname)}:${listener.port}`;
  const linkHost = ["0.0.0.0", "::", ""].includes(listener.hostname)
    ? "localhost"
    : urlHost(listener.hostname);
  service.setPublicUrl(`http://${linkHost}:${listener.port}`);
  const key = options.bootstrapApiKey ?? newSecret(SECRET_PREFIX.apiKey);
  let created: boolean;
  try {
    created = await service.store.bootstrap({
      name: DEFAULT_TENANT,
      adminEmail: options.adminEmail ?? `admin@${DEFAULT_TENANT}.invalid`,
      apiKeyHash: hashSecret(key),
      now: now().toISOString(),
    });
  } catch (error) {
    // A DatabaseOpenError of the store's (the database failed the first start's write), let through.
    await metricsListener?.close();
    await listener.close();
    await service.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    port: listener.port,
    hostname: listener.hostname,
    generatedApiKey: created && options.bootstrapApiKey === undefined ? key : undefined,
    bootstrapped: created,
    metricsUrl: metricsListener && `http://${urlHost(metricsListener.hostname)}:${metricsListener.port}`,
    service,
    close() {
      closing ??= (async () => {
        await metricsListener?.close();
        await listener.close();
        await service.close();
      })();
      return closing;
    },
  };
}
