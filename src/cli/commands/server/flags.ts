/** The flags of the server verbs, declared once (src/flags/spec.ts); ./start.ts and ./tenant.ts use them. */
import { flags, without } from "../../../flags/spec.ts";
import { OUTPUT_FLAG } from "../../../session/flags.ts";
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_EVENT_RETENTION_DAYS,
  DEFAULT_INVITE_RATE_LIMIT,
  DEFAULT_MAX_API_KEYS,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RESEND_COOLDOWN_SECONDS,
  DEFAULT_TENANT_INVITE_RATE_LIMIT,
  DEFAULT_TENANT_RATE_LIMIT,
} from "../../../server/defaults.ts";

/** --db: the database, a file or a URL. */
const DB_FLAG = {
  long: "--db",
  value: "path",
  env: "PHYCLOUD_DATABASE_URL",
  defaultText: "phyware.db in the user's data directory",
  help: "SQLite database file, :memory:, or a postgres:// URL",
} as const;

/** --admin-email: the email of a tenant's admin user. */
const ADMIN_EMAIL_FLAG = {
  long: "--admin-email",
  value: "email",
  help: "email of the default tenant's admin, on a first start",
} as const;

/** The flags of `server start`. */
export const START_FLAGS = flags(
  { long: "--host", value: "host", default: "127.0.0.1", help: "interface to listen on" },
  { long: "--port", value: "port", default: "8000", help: "port to listen on; 0 picks a free one" },
  DB_FLAG,
  { long: "--smtp-url", value: "url", help: "send invitations over SMTP, such as smtp://localhost:1025" },
  {
    long: "--outbox",
    value: "dir",
    defaultText: "outbox beside the database",
    help: "write invitations as .eml files here when there is no --smtp-url",
  },
  {
    long: "--public-url",
    value: "url",
    defaultText: "the listening URL",
    help: "base URL of the accept link in invitations",
  },
  {
    long: "--rate-limit",
    value: "n",
    default: String(DEFAULT_RATE_LIMIT),
    help: "requests per minute per credential; 0 turns it off",
  },
  {
    long: "--invite-rate-limit",
    value: "n",
    default: String(DEFAULT_INVITE_RATE_LIMIT),
    help: "invitations per minute per credential; 0 turns it off",
  },
  {
    long: "--tenant-rate-limit",
    value: "n",
    default: String(DEFAULT_TENANT_RATE_LIMIT),
    help: "requests per minute per tenant, all its credentials together; 0 turns it off",
  },
  {
    long: "--tenant-invite-rate-limit",
    value: "n",
    default: String(DEFAULT_TENANT_INVITE_RATE_LIMIT),
    help: "invitations per minute per tenant; 0 turns it off",
  },
  {
    long: "--auth-failure-limit",
    value: "n",
    default: String(DEFAULT_AUTH_FAILURE_LIMIT),
    help: "failed authentications per minute per client address; 0 turns it off",
  },
  {
    long: "--max-api-keys",
    value: "n",
    default: String(DEFAULT_MAX_API_KEYS),
    help: "active API keys a user may hold (beyond: 409); 0 turns it off",
  },
  {
    long: "--resend-cooldown",
    value: "seconds",
    default: String(DEFAULT_RESEND_COOLDOWN_SECONDS),
    help: "seconds between two invitation emails to one user (a resend sooner: 429); 0 turns it off",
  },
  {
    long: "--event-retention",
    value: "days",
    default: String(DEFAULT_EVENT_RETENTION_DAYS),
    help: "days audit events are kept (purged hourly); 0 keeps them forever",
  },
  {
    long: "--trust-proxy",
    help:
      "take the client address for --auth-failure-limit from X-Forwarded-For (only behind a proxy that sets it)",
  },
  ADMIN_EMAIL_FLAG,
  { long: "--mail-from", value: "address", help: "From address of invitations" },
  {
    long: "--metrics",
    help: "serve Prometheus metrics at GET /metrics on this listener, to admin:users credentials",
  },
  {
    long: "--metrics-listen",
    value: "host:port",
    help: "serve Prometheus metrics, without a credential, on a listener of their own",
  },
  {
    long: "--log-format",
    value: "format",
    choices: ["text", "json"],
    default: "text",
    help: "request log format (json: one JSON object per line)",
  },
);

/** The flags of `server tenant create`. */
export const TENANT_CREATE_FLAGS = flags(
  // Help leaves :memory: out: accepted, but a tenant made in a database that ends with the command is no use.
  { ...DB_FLAG, help: "SQLite database file, or a postgres:// URL" },
  { ...ADMIN_EMAIL_FLAG, defaultText: "admin@NAME.invalid", help: "email of the tenant's admin user" },
  // The tenant and its key print as two lines of text or as JSON, not as records: text or json, default
  // text, which commander applies (./tenant.ts reads it as always set), so the base's defaultBy goes.
  { ...without(OUTPUT_FLAG, "defaultBy"), choices: ["text", "json"], default: "text" },
);
