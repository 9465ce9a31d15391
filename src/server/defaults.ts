/**
 * Defaults and checks `server start` needs while parsing, kept apart from the service so the CLI loads
 * SQLite, mail and crypto only when the server really starts.
 */

/** Default `--rate-limit`: requests per minute per credential. */
export const DEFAULT_RATE_LIMIT = 600;
/** Default `--invite-rate-limit`: invitations per minute per credential. */
export const DEFAULT_INVITE_RATE_LIMIT = 60;

/** Whether a value is a well-formed API key (`phy_` and at least 32 base62 characters). */
export function isApiKeyShape(value: string): boolean {
  return /^phy_[0-9A-Za-z]{32,200}$/.test(value);
}
