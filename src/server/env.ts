/** What every route receives: the store, the mailer, the clock, limits and settings. */
import type { ApiKeyCache } from "./auth.ts";
import type { RateLimiter } from "./rate_limit.ts";
import type { Store } from "./store/types.ts";

/** Dependencies and settings of the app, shared by all requests. */
export interface AppEnv {
  store: Store;
  /** Tells the mail sender that the outbox has a new row (after the commit); never throws. */
  wakeMailer: () => void;
  /** The clock. */
  now: () => Date;
  /** API keys resolved recently; emptied when a credential is revoked. */
  keyCache: ApiKeyCache;
  /** Limits all requests of a credential. */
  requestLimiter: RateLimiter;
  /** Limits invitations of a credential, more tightly. */
  inviteLimiter: RateLimiter;
  /** Key that signs pagination cursors. */
  cursorSecret: string;
}
