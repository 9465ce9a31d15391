/**
 * A real phyware users service for tests: 127.0.0.1, port 0, a database in a fresh temp dir (removed on
 * close), rate limits off unless asked for, invitations in an outbox dir or over `smtpUrl`.
 */
import { join } from "node:path";
import { serve } from "../../src/runtime/serve.ts";
import type { Me } from "../../src/wire/mod.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { type RunningServer, startServer } from "../../src/server/mod.ts";
import { type SeedOptions, seedUsers } from "../../src/server/store/seed.ts";
import { checkedHandler, type ResponseLedger } from "./openapi.ts";
import type { Store } from "../../src/server/store/types.ts";

interface Fault {
  method: keyof Store;
  error: Error;
}

/** The store, with the first queued fault of a method making that method's next call reject. */
function withFaults(store: Store, faults: Fault[]): Store {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const at = faults.findIndex((f) => f.method === property);
        if (at >= 0) return Promise.reject(faults.splice(at, 1)[0]?.error);
        // The store's private fields need the real object as `this`.
        return value.apply(target, args);
      };
    },
  });
}

/** Options of startTestServer. */
export interface TestServerOptions {
  /** Requests per minute per credential (default 0: off). */
  rateLimit?: number;
  /** Invitations per minute per credential (default 0: off). */
  inviteRateLimit?: number;
  /** Requests per minute per tenant (default 0: off). */
  tenantRateLimit?: number;
  /** Invitations per minute per tenant (default 0: off). */
  tenantInviteRateLimit?: number;
  /** Failed authentications per minute per client address (default 0: off). */
  authFailureLimit?: number;
  /** Seconds between two invitation emails to one user (default 0: off). */
  resendCooldownSeconds?: number;
  /** Take the client address from X-Forwarded-For. */
  trustProxy?: boolean;
  /** Send invitations over SMTP instead of the outbox. */
  smtpUrl?: string;
  /** Base URL of accept links (default: the server's URL). */
  publicUrl?: string;
  /** The service's clock. */
  now?: () => Date;
  /** Receives the request log (default: dropped). */
  log?: (line: string) => void;
  /** How long a claimed invitation email is the server's (default 60 s); a send gets half of it. */
  mailLeaseMs?: number;
  /** Use this database file instead of a new one (restart tests); it is not removed on close. */
  dbPath?: string;
  /** Serve GET /metrics on the API's listener. */
  metrics?: boolean;
  /** Serve GET /metrics on a listener of its own (127.0.0.1, a free port). */
  metricsListen?: boolean;
  /** `json`: the request log as JSON lines. */
  logFormat?: "text" | "json";
  /** Route the service's store calls through failNextStoreCall (off by default: no indirection). */
  storeFaults?: boolean;
}

/** A tenant made by createTenant. */
export interface TestTenant {
  tenantId: string;
  /** An admin:users key of the tenant's admin. */
  apiKey: string;
}

/** A running test server; `await using server = await startTestServer()` stops it at the end of the scope. */
export interface TestServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** An admin:users key of tenant "default". */
  apiKey: string;
  dbPath: string;
  outboxDir: string;
  /** Creates a tenant with its admin and key. */
  createTenant(name: string): Promise<TestTenant>;
  /** A new key of the tenant's admin (default tenant "default") with exactly these scopes. */
  createKey(scopes: string[], tenant?: string): Promise<string>;
  /** Inserts `count` users into the tenant (default "default") in one transaction. */
  seedUsers(count: number, tenant?: string, options?: SeedOptions): Promise<void>;
  /** Resolves once every invitation email in flight has been sent. */
  mailIdle(): Promise<void>;
  /**
   * Makes the next call of the store's `method` reject with `error`, as a failing disk or a bug would; the
   * service answers as it does in production. Needs `storeFaults: true`.
   */
  failNextStoreCall(method: keyof Store, error?: Error): void;
  /** The underlying server (its store and handler). */
  server: RunningServer;
  /** Every response so far, held to the OpenAPI document (close() fails on an undocumented one). */
  ledger: ResponseLedger;
  /** Stops the server and removes the temp dir (again: no effect); throws if a response was undocumented. */
  close(): Promise<void>;
}

/** Starts the service for a test on 127.0.0.1 and a free port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-test-server-" });
  const dbPath = options.dbPath ?? join(dir, "phyware.db");
  const outboxDir = join(dir, "outbox");
  const apiKey = newSecret(SECRET_PREFIX.apiKey);
  const faults: Fault[] = [];
  let server: RunningServer;
  let ledger: ResponseLedger | undefined;
  try {
    server = await startServer({
      hostname: "127.0.0.1",
      port: 0,
      dbPath,
      outboxDir,
      smtpUrl: options.smtpUrl,
      publicUrl: options.publicUrl,
      rateLimit: options.rateLimit ?? 0,
      inviteRateLimit: options.inviteRateLimit ?? 0,
      tenantRateLimit: options.tenantRateLimit ?? 0,
      tenantInviteRateLimit: options.tenantInviteRateLimit ?? 0,
      authFailureLimit: options.authFailureLimit ?? 0,
      resendCooldownSeconds: options.resendCooldownSeconds ?? 0,
      trustProxy: options.trustProxy,
      bootstrapApiKey: apiKey,
      mailRetryDelaysMs: [20, 50],
      mailLeaseMs: options.mailLeaseMs,
      metrics: options.metrics,
      metricsListen: options.metricsListen ? { hostname: "127.0.0.1", port: 0 } : undefined,
      logFormat: options.logFormat,
    }, {
      // The API's listener (the first) answers through the OpenAPI check; the metrics listener does not.
      serve: (handler, serveOptions) => {
        if (ledger !== undefined) return serve(handler, serveOptions);
        const checked = checkedHandler(handler);
        ledger = checked.ledger;
        return serve(checked.handler, serveOptions);
      },
      log: options.log,
      now: options.now,
      wrapStore: options.storeFaults ? (store) => withFaults(store, faults) : undefined,
    });
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
  const store = server.service.store;
  const admins = new Map<string, { tenantId: string; userId: string }>();

  async function whoIs(key: string): Promise<{ tenantId: string; userId: string }> {
    const response = await server.service.handler(
      new Request(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } }),
    );
    const me = await response.json() as Me;
    return { tenantId: me.tenant.id, userId: me.user?.id ?? "" };
  }

  async function tenant(name: string): Promise<{ tenantId: string; userId: string }> {
    let found = admins.get(name);
    if (!found && name === "default") {
      found = await whoIs(apiKey);
      admins.set(name, found);
    }
    if (!found) throw new Error(`Unknown test tenant "${name}": create it with createTenant first`);
    return found;
  }

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      await server.close();
      await Deno.remove(dir, { recursive: true });
      await ledger?.assertDocumented();
    })();

  return {
    url: server.url,
    apiKey,
    dbPath,
    outboxDir,
    server,
    async createTenant(name) {
      const key = newSecret(SECRET_PREFIX.apiKey);
      const created = await store.createTenant({
        name,
        adminEmail: `admin@${name}.invalid`,
        apiKeyHash: hashSecret(key),
        now: new Date().toISOString(),
      });
      admins.set(name, { tenantId: created.tenant.id, userId: created.admin.id });
      return { tenantId: created.tenant.id, apiKey: key };
    },
    async createKey(scopes, tenantName = "default") {
      const { tenantId, userId } = await tenant(tenantName);
      const key = newSecret(SECRET_PREFIX.apiKey);
      await store.createApiKey({
        tenantId,
        userId,
        name: "test",
        scopes,
        keyHash: hashSecret(key),
        now: new Date().toISOString(),
      });
      return key;
    },
    async seedUsers(count, tenantName = "default", seedOptions) {
      seedUsers(dbPath, (await tenant(tenantName)).tenantId, count, seedOptions);
    },
    failNextStoreCall(method, error = new Error(`Injected failure of ${method}`)) {
      if (!options.storeFaults) throw new Error("Start the test server with storeFaults: true");
      faults.push({ method, error });
    },
    mailIdle: () => server.service.mailIdle(),
    ledger: ledger!,
    close,
    [Symbol.asyncDispose]: close,
  };
}
