/** What every route receives: the store, the mailer, the clock, limits and settings. */
import type { BackgroundWrites } from "./background_writes.ts";
import type { ApiKeyCache } from "./key_cache.ts";
import type { RequestLimits } from "./limits.ts";
import type { Metrics } from "./metrics.ts";
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
  /** Request, invitation and failed-authentication limits. */
  limits: RequestLimits;
  /** Largest number of active API keys a user may hold; 0: no limit. */
  maxApiKeys: number;
  /** Whether the client address comes from X-Forwarded-For (behind a trusted proxy). */
  trustProxy: boolean;
  /** Shortest time between two invitation emails to one user (a resend sooner is a 429); 0: none. */
  resendCooldownMs: number;
  /** Told when a write found the database's file deleted or replaced (logs it once); never throws. */
  onStorageLost: (error: Error) => void;
  /** Key that signs pagination cursors. */
  cursorSecret: string;
  /** Counts requests, refusals and errors, when metrics are on. */
  metrics?: Metrics | undefined;
  /** Whether `GET /metrics` is served on the API's listener (`--metrics`). */
  metricsRoute?: boolean | undefined;
  /** Keys' last use and failed authentications, written in batches off the request path. */
  background: BackgroundWrites;
}
