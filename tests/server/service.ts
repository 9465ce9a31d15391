/** Handler-level harness: the service over `:memory:`, called with `new Request(...)`, no socket. */
import { join } from "node:path";
import { hashSecret, newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { createService, type Service } from "../../src/server/mod.ts";
import type { OutgoingMail } from "../../src/server/mail/message.ts";
import type { MailTransport } from "../../src/server/mail/transport.ts";
import { createDatabase } from "../support/postgres.ts";
import { checkedHandler, type ResponseLedger } from "../support/openapi.ts";

/** Base URL of requests made to the handler. */
export const BASE = "http://phycloud.test";

/** Options of one call. */
export interface CallOptions {
  token?: string;
  /** A JSON body (serialized, with Content-Type: application/json). */
  json?: unknown;
  /** A raw body, sent as is. */
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

/** A captured invitation email. */
export interface SentMail {
  to: string;
  subject: string;
  text: string;
  token: string;
}

/** The harness; `await using s = await testService()` closes it at the end of the scope. */
export interface TestService extends AsyncDisposable {
  service: Service;
  /** The database file (in a temp dir removed on close, unless given). */
  dbPath: string;
  /** admin:users key of tenant "default". */
  apiKey: string;
  tenantId: string;
  adminId: string;
  /** Invitations sent so far. */
  mails: SentMail[];
  /** Makes the next sends fail this many times. */
  failNextSends(count: number): void;
  /** Moves the service's clock forward. */
  advance(ms: number): void;
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** Calls and parses the JSON body. */
  callJson<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: CallOptions,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** Creates a tenant; returns its id and admin key. */
  createTenant(name: string): Promise<{ tenantId: string; apiKey: string; adminId: string }>;
  /** Invites, accepts, and returns the new user's id and session token. */
  onboard(email: string, role?: string, key?: string): Promise<{ id: string; session: string }>;
  /** Lines the service logged. */
  log: string[];
  /** Every response `call` got, held to the OpenAPI document (close() fails on an undocumented one). */
  ledger: ResponseLedger;
  /** Closes the service (again: no effect); throws if a response was undocumented. */
  close(): Promise<void>;
}

/** Builds a harness; options are passed to the service (rate limits default to off). */
export async function testService(
  options: {
    rateLimit?: number;
    inviteRateLimit?: number;
    tenantRateLimit?: number;
    tenantInviteRateLimit?: number;
    authFailureLimit?: number;
    maxApiKeys?: number;
    resendCooldownSeconds?: number;
    dbPath?: string;
    /**
     * Stop the service's clock at the start (it moves only by `advance`): rate-limit buckets then refill by
     * nothing but what the test says, however slowly a loaded machine runs it.
     */
    frozenClock?: boolean;
  } = {},
): Promise<TestService> {
  let offset = 0;
  const started = Date.now();
  const clock = () => (options.frozenClock ? started : Date.now()) + offset;
  let failures = 0;
  const mails: SentMail[] = [];
  const log: string[] = [];
  const transport: MailTransport = {
    send(message: OutgoingMail) {
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error("SMTP server unavailable"));
      }
      const split = message.raw.indexOf("\r\n\r\n");
      const head = message.raw.slice(0, split);
      const text = message.raw.slice(split + 4);
      mails.push({
        to: message.to,
        subject: /^Subject: (.*)$/m.exec(head)?.[1] ?? "",
        text,
        token: /phi_[0-9A-Za-z]+/.exec(text)?.[0] ?? "",
      });
      return Promise.resolve();
    },
    close() {},
  };
  // A file, not :memory:, so test helpers (seedUsers) can open it beside the service; with
  // PHYWARE_TEST_POSTGRES (a cluster's URL, see postgres_http_test.ts) a new PostgreSQL database instead.
  const postgres = options.dbPath === undefined ? Deno.env.get("PHYWARE_TEST_POSTGRES") : undefined;
  const dir = options.dbPath === undefined && postgres === undefined
    ? await Deno.makeTempDir({ prefix: "phyware-service-" })
    : undefined;
  const dbPath = options.dbPath ??
    (postgres === undefined ? join(dir ?? "", "phyware.db") : await createDatabase(postgres));
  const service = await createService({
    dbPath,
    outboxDir: "/nonexistent-outbox",
    rateLimit: options.rateLimit ?? 0,
    inviteRateLimit: options.inviteRateLimit ?? 0,
    tenantRateLimit: options.tenantRateLimit ?? 0,
    tenantInviteRateLimit: options.tenantInviteRateLimit ?? 0,
    authFailureLimit: options.authFailureLimit ?? 0,
    maxApiKeys: options.maxApiKeys ?? 0,
    resendCooldownSeconds: options.resendCooldownSeconds ?? 0,
    publicUrl: BASE,
    mailRetryDelaysMs: [1, 1],
  }, { now: () => new Date(clock()), log: (line) => log.push(line), mailTransport: transport });
  const apiKey = newSecret(SECRET_PREFIX.apiKey);
  await service.store.bootstrap({
    name: "default",
    adminEmail: "admin@default.invalid",
    apiKeyHash: hashSecret(apiKey),
    now: new Date().toISOString(),
  });

  const checked = checkedHandler(service.handler);
  const call = (method: string, path: string, o: CallOptions = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers["content-type"] ??= "application/json";
    }
    return Promise.resolve(
      checked.handler(new Request(`${BASE}${path}`, { method, headers, body: body ?? null })),
    );
  };
  const callJson = async <T>(method: string, path: string, o: CallOptions = {}) => {
    const response = await call(method, path, o);
    return { status: response.status, body: await response.json() as T, headers: response.headers };
  };
  const me = await callJson<{ user: { id: string }; tenant: { id: string } }>("GET", "/v1/me", {
    token: apiKey,
  });

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      await service.close();
      if (dir !== undefined) await Deno.remove(dir, { recursive: true });
      await checked.ledger.assertDocumented();
    })();
  const harness: TestService = {
    service,
    dbPath,
    apiKey,
    tenantId: me.body.tenant.id,
    adminId: me.body.user.id,
    mails,
    log,
    ledger: checked.ledger,
    failNextSends(count) {
      failures = count;
    },
    advance(ms) {
      offset += ms;
    },
    call,
    callJson,
    async createTenant(name) {
      const key = newSecret(SECRET_PREFIX.apiKey);
      const created = await service.store.createTenant({
        name,
        adminEmail: `admin@${name}.invalid`,
        apiKeyHash: hashSecret(key),
        now: new Date().toISOString(),
      });
      return { tenantId: created.tenant.id, apiKey: key, adminId: created.admin.id };
    },
    async onboard(email, role = "member", key = apiKey) {
      const invited = await callJson<{ id: string }>("POST", "/v1/users", {
        token: key,
        json: { email, role },
      });
      if (invited.status !== 201) throw new Error(`Invite failed: ${invited.status}`);
      await service.mailIdle();
      const mail = mails.findLast((m) => m.to === email);
      if (!mail) throw new Error(`No mail to ${email}`);
      const accepted = await callJson<{ session: { token: string } }>("POST", "/v1/invitations/accept", {
        json: { token: mail.token },
      });
      if (accepted.status !== 200) throw new Error(`Accept failed: ${accepted.status}`);
      return { id: invited.body.id, session: accepted.body.session.token };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
  return harness;
}
