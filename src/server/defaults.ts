/**
 * Defaults and checks `server start` needs while parsing, kept apart from the service so the CLI loads
 * SQLite, mail and crypto only when the server really starts.
 */

/** Default `--rate-limit`: requests per minute per credential. */
export const DEFAULT_RATE_LIMIT = 600;
/** Default `--invite-rate-limit`: invitations per minute per credential. */
export const DEFAULT_INVITE_RATE_LIMIT = 60;
/** Default `--tenant-rate-limit`: requests per minute per tenant, all its credentials together. */
export const DEFAULT_TENANT_RATE_LIMIT = 1200;
/** Default `--tenant-invite-rate-limit`: invitations per minute per tenant. */
export const DEFAULT_TENANT_INVITE_RATE_LIMIT = 120;
/** Default `--auth-failure-limit`: failed authentications per minute per client address. */
export const DEFAULT_AUTH_FAILURE_LIMIT = 30;
/** Default `--resend-cooldown`: seconds between two invitation emails to one user. */
export const DEFAULT_RESEND_COOLDOWN_SECONDS = 60;
/** Default `--max-api-keys`: active API keys a user may hold. */
export const DEFAULT_MAX_API_KEYS = 50;

/** Default `--event-retention`: days audit events are kept. */
export const DEFAULT_EVENT_RETENTION_DAYS = 90;

/** Whether a value is a well-formed API key (`phy_` and at least 32 base62 characters). */
export function isApiKeyShape(value: string): boolean {
  return /^phy_[0-9A-Za-z]{32,200}$/.test(value);
}
