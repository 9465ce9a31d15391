/** What every route receives: the store, the mailer, the clock, limits and settings. */
import type { ApiKeyCache } from "./auth.ts";
import type { InvitationMail } from "./mail/message.ts";
import type { RateLimiter } from "./rate_limit.ts";
import type { Store } from "./store/types.ts";

/** Dependencies and settings of the app, shared by all requests. */
export interface AppEnv {
  store: Store;
  /** Hands an invitation to the mail delivery (after the commit); never throws. */
  sendInvitation: (mail: InvitationMail) => void;
  /** The clock. */
  now: () => Date;
  /** API keys resolved recently; emptied when a credential is revoked. */
  keyCache: ApiKeyCache;
  /** Limits all requests of a credential. */
  requestLimiter: RateLimiter;
  /** Limits invitations of a credential, more tightly. */
  inviteLimiter: RateLimiter;
  /** Base URL of the accept link in emails (read per request: the port is known only once listening). */
  publicUrl: () => string;
  /** Key that signs pagination cursors. */
  cursorSecret: string;
}
