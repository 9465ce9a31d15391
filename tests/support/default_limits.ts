/** The server's own default limits, for tests of a flow as a user meets it (`startTestServer(DEFAULT_LIMITS)`). */
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_INVITE_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TENANT_INVITE_RATE_LIMIT,
  DEFAULT_TENANT_RATE_LIMIT,
} from "../../src/server/defaults.ts";

/** Every rate limit of `phyware server start` at its default. */
export const DEFAULT_LIMITS = {
  rateLimit: DEFAULT_RATE_LIMIT,
  inviteRateLimit: DEFAULT_INVITE_RATE_LIMIT,
  tenantRateLimit: DEFAULT_TENANT_RATE_LIMIT,
  tenantInviteRateLimit: DEFAULT_TENANT_INVITE_RATE_LIMIT,
  authFailureLimit: DEFAULT_AUTH_FAILURE_LIMIT,
} as const;
