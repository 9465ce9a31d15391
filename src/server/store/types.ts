/**
 * The storage interface of the users service. Routes talk only to `Store`, which two engines implement:
 * SQLite (sqlite.ts: one server process) and PostgreSQL (postgres.ts: any number of instances sharing one
 * database). What is said here holds for both; where they differ, the comment says how.
 */
import type { EventAction, Role, UserStatus } from "../../wire/mod.ts";

/** A tenant as stored. */
export interface TenantRecord {
  id: string;
  name: string;
  createdAt: string;
}

/** A user as stored; `seq` orders users and keys pagination. */
export interface UserRecord {
  seq: number;
  id: string;
  tenantId: string;
  email: string;
  status: UserStatus;
  role: Role;
  createdAt: string;
  invitedBy: string | null;
  activatedAt: string | null;
  deactivatedAt: string | null;
}

/** Who is calling: resolved from an API key or a session token. */
export interface Principal {
  /** The credential's id (`key_...` or `ses_...`); idempotency keys and rate limits are per credential. */
  credentialId: string;
  kind: "api_key" | "session";
  tenantId: string;
  /** The user the credential belongs to. */
  userId: string;
  scopes: string[];
  /** The API key's name; null for a session. */
  credentialName: string | null;
  /** When the credential stops working (ISO time); null or absent: never. */
  expiresAt?: string | null | undefined;
}

/** An API key as stored (without its secret). */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  userId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  /** When the key stops working (ISO time); null: never. */
  expiresAt: string | null;
  /**
   * When the key was last used, give or take a minute (a key's use is noted at most once a minute and
   * written in batches); null: never.
   */
  lastUsedAt: string | null;
  /** When the key was revoked; null while it is not. */
  revokedAt: string | null;
}

/**
 * Who made a write and through which request: what an audit event records besides its action and target.
 * Writes made outside any request (`server tenant create`, the first start) use SYSTEM_CONTEXT.
 */
export interface EventContext {
  /** The acting user; null for the operator (a command run on the server's machine). */
  actorUserId: string | null;
  /** The credential the actor used (`key_...`, `ses_...`, or `inv_...` for an accepted invitation). */
  actorCredentialId: string | null;
  /** The request's X-Request-Id. */
  requestId: string | null;
  /** The client's address, as the server's rate limits see it. */
  clientAddress: string | null;
}

/** The context of a write made by the operator, outside any request. */
export const SYSTEM_CONTEXT: EventContext = {
  actorUserId: null,
  actorCredentialId: null,
  requestId: null,
  clientAddress: null,
};

/** An audit event to record, inside the transaction of the write it describes. */
export interface NewEvent extends EventContext {
  /** The tenant; null only for failed authentications with an unknown credential. */
  tenantId: string | null;
  action: EventAction;
  /** What the action was done to: a user, key or tenant id; null when nothing. */
  target: string | null;
  /** ISO time. */
  time: string;
  /** A few more facts (a key's name and scopes, a role's old and new value); never a secret. */
  details?: Record<string, unknown> | undefined;
}

/** An audit event as stored. */
export interface EventRecord {
  seq: number;
  id: string;
  time: string;
  tenantId: string | null;
  actorUserId: string | null;
  actorCredentialId: string | null;
  action: string;
  target: string | null;
  requestId: string | null;
  clientAddress: string | null;
  /** How many occurrences the row stands for (failed authentications are counted per address and minute). */
  count: number;
  /** The details as a JSON object's text, or null. */
  details: string | null;
}

/** Filters and position of one page of events, newest first. */
export interface EventQuery {
  tenantId: string;
  /** Only events at or after this ISO time. */
  since: string | undefined;
  /** Only events before this ISO time. */
  until: string | undefined;
  action: string | undefined;
  /** A user id (the actor) or a credential id (the actor's credential). */
  actor: string | undefined;
  target: string | undefined;
  /** Start after the event of this seq (the previous page's last); 0 for the first page. */
  afterSeq: number;
  limit: number;
}

/** One page of events. */
export interface EventPage {
  events: EventRecord[];
  /** Whether another page follows. */
  more: boolean;
}

/** Failed authentications counted in memory for one tenant (or none), client address and minute. */
export interface AuthFailureCount {
  /** The tenant of a known but refused credential (revoked, expired); null when unknown. */
  tenantId: string | null;
  /** The refused credential's id when known. */
  credentialId: string | null;
  clientAddress: string;
  /** The minute, as an ISO time at its start. */
  minute: string;
  count: number;
  /** The request id of the first failure counted. */
  requestId: string;
}

/** A use of an API key to write as its last_used_at. */
export interface ApiKeyUse {
  keyId: string;
  /** ISO time. */
  at: string;
}

/** Why a known API key was refused. */
export interface RefusedApiKey {
  reason: "expired" | "revoked";
  tenantId: string;
  credentialId: string;
  /** The key's expiry (for the message); null when it had none. */
  expiresAt: string | null;
}

/** Filters and position of one page of API keys, in creation order. */
export interface ApiKeyQuery {
  tenantId: string;
  /** Only this user's keys (a caller without admin:users sees its own only). */
  userId: string | undefined;
  /** Keys whose seq is greater than this. */
  afterSeq: number;
  limit: number;
}

/** One page of API keys. */
export interface ApiKeyPage {
  keys: ApiKeyRecord[];
  /** The seq of the page's last key (where the next page starts), or 0 for an empty page. */
  lastSeq: number;
  more: boolean;
}

/** What `revokeApiKey` needs. */
export interface RevokeApiKey {
  tenantId: string;
  keyId: string;
  /** Only a key of this user may be revoked (a caller without admin:users); undefined: any of the tenant. */
  ownerId: string | undefined;
  now: string;
  context: EventContext;
}

/** Result of `revokeApiKey`: `already` when the key was revoked before (nothing written). */
export type RevokeApiKeyResult =
  | { kind: "done"; key: ApiKeyRecord; already: boolean }
  | { kind: "not_found" }
  | { kind: "last_admin_key" };

/** A response kept for an `Idempotency-Key`. */
export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
}

/** What to remember with a write that came with an `Idempotency-Key`. */
export interface IdempotencyWrite {
  credentialId: string;
  key: string;
  requestHash: string;
  status: number;
  /** Records older than this (ISO time) are expired and may be replaced. */
  expiredBefore: string;
  /** Renders the response body from the written user. */
  render: (user: UserRecord) => string;
}

/** Input of `createTenant` and of the first-start bootstrap. */
export interface NewTenant {
  name: string;
  adminEmail: string;
  /** SHA-256 of the admin's API key. */
  apiKeyHash: string;
  now: string;
}

/** What a service's start gives `Store.startUp`. */
export interface StartUp {
  /** Makes the cursor signing key, the first time (the `cursor_secret` setting). */
  cursorSecret: () => string;
  /** The start's purge: `purgeExpired`'s arguments. */
  now: string;
  idempotencyBefore: string;
  eventsBefore?: string | undefined;
  /** How long in all the purge may wait for another process's write lock (SQLite). */
  lockWaitMs: number;
}

/** A tenant created with its admin user and key. */
export interface CreatedTenant {
  tenant: TenantRecord;
  admin: UserRecord;
  apiKey: ApiKeyRecord;
}

/** Input of `inviteUser`. */
export interface NewInvitation {
  tenantId: string;
  email: string;
  role: Role;
  invitedBy: string;
  now: string;
  /** ISO time after which the invitation's token no longer works. */
  expiresAt: string;
  /**
   * Charges the invitation budget; what it throws (the invitation limit's 429) stops the invitation, and a
   * taken address is EmailTakenError whatever the budget. When it is called differs:
   * - SQLite (limits in this process's memory): in the transaction, once the address proved free, before
   *   the commit; it must not return a promise. What it throws rolls the invitation back; a taken address or
   *   a replay is never charged.
   * - PostgreSQL (limits in the database): before the transaction and before the address is checked, so
   *   that the charge never waits for a second pool connection while the transaction holds one. A replay
   *   found first is answered without a charge; what `admit` charged is given back (`unadmit`) when the
   *   address proves taken, the request proves a replay, or the write fails.
   */
  admit?: () => void | Promise<void>;
  /** Gives back what `admit` charged; only PostgreSQL calls it (see `admit`). */
  unadmit?: () => void | Promise<void>;
}

/** Result of `inviteUser`: the new user with its queued invitation's id, or a replayed response. */
export type InviteResult =
  | { kind: "created"; user: UserRecord; invitationId: string }
  | { kind: "replay"; response: StoredResponse };

/** Result of `resendInvitation`. */
export type ResendResult =
  | { kind: "done"; user: UserRecord; invitationId: string }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "not_found" }
  | { kind: "not_pending"; user: UserRecord }
  /** The user's latest invitation was made at `lastInvitedAt`, after the cooldown's start: nothing sent. */
  | { kind: "cooldown"; lastInvitedAt: string };

/** Result of `setRole`: `unchanged` when the user already had the role (nothing was written). */
export type SetRoleResult =
  | { kind: "done"; user: UserRecord; previousRole: Role; revokedKeys: number }
  | { kind: "unchanged"; user: UserRecord }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "not_found" }
  | { kind: "inactive"; user: UserRecord }
  | { kind: "last_admin"; user: UserRecord };

/** Result of `deactivateUser`. */
export type DeactivateResult =
  | { kind: "done"; user: UserRecord }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "not_found" }
  | { kind: "last_admin" };

/** Input of `acceptInvitation`. */
export interface AcceptInput {
  tokenHash: string;
  now: string;
  sessionHash: string;
  sessionExpiresAt: string;
}

/** Filters and position of one page of users. */
export interface UserQuery {
  tenantId: string;
  status: UserStatus | undefined;
  role: Role | undefined;
  /**
   * Only the users of this mailbox, inactive ones included: an `emailKey` (the index
   * users_tenant_email_key_seq serves it: SQLite's migration 6, PostgreSQL's 1).
   */
  emailKey?: string | undefined;
  /**
   * Only users whose email contains this text, passed folded (`searchKey`): compared with the email's key
   * (`emailKey`: folded case, the domain's A-label) and, for a text that is not all ASCII, also with the
   * stored address with ASCII case folded, so `münchen` finds `z@München.example` as typed.
   */
  contains?: string | undefined;
  /** Return users whose seq is greater than this. */
  afterSeq: number;
  limit: number;
}

/**
 * One page of users as their API JSON. SQLite keeps each user's JSON in its row (`wire`, migration 3),
 * serialized when the user was written, and sends those bytes as they are; PostgreSQL serializes each user
 * (`wireUser`) when the page is read.
 */
export interface UserPageRows {
  /** Each user as the JSON object `wireUser` would give, UTF-8 encoded, in seq order. */
  readonly json: readonly Uint8Array[];
  /** The seq of the page's last user (where the next page starts), or 0 for an empty page. */
  readonly lastSeq: number;
  /** Whether another page follows. */
  readonly more: boolean;
}

/** The email was taken by a pending or active user of the tenant. */
export class EmailTakenError extends Error {
  constructor() {
    super("Email already exists");
    this.name = "EmailTakenError";
  }
}

/** The user already holds the most unrevoked API keys allowed (expired ones count until revoked). */
export class TooManyApiKeysError extends Error {
  /** The limit that was reached. */
  readonly max: number;

  constructor(max: number) {
    super(`The user already holds ${max} active API keys`);
    this.name = "TooManyApiKeysError";
    this.max = max;
  }
}

/** The tenant name was taken. */
export class TenantExistsError extends Error {
  constructor(name: string) {
    super(`Tenant "${name}" already exists`);
    this.name = "TenantExistsError";
  }
}

/** An invitation a sender has claimed from the outbox: what its email needs, and its attempt number. */
export interface OutboxInvitation {
  invitationId: string;
  userId: string;
  email: string;
  tenantName: string;
  /** ISO time after which the invitation's token no longer works. */
  expiresAt: string;
  /** This attempt's number, from 1. */
  attempt: number;
  /** The hash of this attempt's token (`claimDue`'s argument at this row's position). */
  tokenHash: string;
}

/**
 * The invitation outbox: a row is written in the same transaction as its invitation, so a committed user
 * always has its email queued. Rows hold no token: the sender mints one per attempt and hands its hash to
 * `claimDue`, so the database never holds a token that was not sent.
 */
export interface InvitationOutbox {
  /**
   * Claims up to `tokenHashes.length` invitations due at `now` for `holder` (no other sender takes them
   * before `leaseUntil`) and, in the same transaction, makes the i-th hash the i-th invitation's token (the
   * token of any earlier attempt stops working). Rows whose invitation was accepted, revoked or has expired
   * are cancelled instead (they still use up a place in the batch). One transaction per batch (on SQLite,
   * with synchronous=FULL, each commit costs a disk sync). Two senders never claim one row: on SQLite the
   * write transaction keeps other processes out; on PostgreSQL the rows are selected `FOR UPDATE SKIP
   * LOCKED`, so a row another instance is claiming is passed over, not waited for.
   */
  claimDue(
    now: string,
    leaseUntil: string,
    tokenHashes: readonly string[],
    holder: OutboxHolder,
  ): Promise<OutboxInvitation[]>;
  /** The pids on `host` holding pending rows whose lease has not ended at `now`. */
  holders(host: string, now: string): Promise<number[]>;
  /** Ends the leases `pid` on `host` holds (the process is gone): its rows are due at `now`; their count. */
  releaseHolder(host: string, pid: number, now: string): Promise<number>;
  /** These emails went out (one commit for the batch); rows no longer pending are left as they are. */
  markSent(invitationIds: readonly string[], now: string): Promise<void>;
  /**
   * The attempt failed; try again at `nextAttemptAt`. The row is nobody's until then (`holders` leaves it
   * out), so a takeover of a gone process's rows does not bring its retry forward.
   */
  retryAt(invitationId: string, nextAttemptAt: string, now: string): Promise<void>;
  /** The attempt failed for good: no more tries. */
  markFailed(invitationId: string, now: string): Promise<void>;
  /** How many invitations wait to be sent, due now or later, counting those claimed and not yet marked. */
  pendingCount(): Promise<number>;
  /** Emails by state, and when the oldest pending one was queued (for the metrics). */
  stats(): Promise<OutboxStats>;
}

/** What the outbox holds. */
export interface OutboxStats {
  pending: number;
  sent: number;
  failed: number;
  cancelled: number;
  /** `created_at` of the oldest pending email; null when none is pending. */
  oldestPendingAt: string | null;
}

/** Who holds a claimed outbox row: a process, by pid and host (see runtime/process_identity.ts). */
export interface OutboxHolder {
  pid: number;
  host: string;
}

/** One rate-limit bucket a request is charged to: its key (such as `tenant-invitations:ten_...`) and limit. */
export interface BucketCharge {
  key: string;
  /**
   * Tokens a minute, and the most a bucket holds. An off limit (0) is never passed (SharedLimits leaves it
   * out): a bucket of 0 would never give a token.
   */
  perMinute: number;
}

/** A bucket's state after a charge or a look, for the RateLimit header fields. */
export interface BucketState {
  key: string;
  /** Whole tokens left. */
  remaining: number;
  /** Seconds until the next token comes. */
  reset: number;
}

/** What a charge did: `wait` 0 when every bucket gave a token, else the seconds until all could. */
export interface ChargeResult {
  wait: number;
  states: BucketState[];
}

/** Rate-limit token buckets kept by the database, so that every instance sharing it charges the same ones. */
export interface SharedBuckets {
  /**
   * Takes one token from each bucket, or from none when one has less than one (`take` false: only looks);
   * `nowMs` is the caller's clock.
   */
  charge(charges: readonly BucketCharge[], nowMs: number, take?: boolean): Promise<ChargeResult>;
  /** Gives back one token to each bucket (never beyond `perMinute`). */
  refund(charges: readonly BucketCharge[]): Promise<void>;
}

/** The storage engine behind the service; every method reports a failure by rejecting, never by throwing. */
export interface Store {
  /** The invitation emails waiting to be sent. */
  readonly outbox: InvitationOutbox;
  /**
   * The rate limits' buckets, when the engine is shared by several instances (PostgreSQL); absent, the
   * limits are kept in this process's memory (SQLite: one process).
   */
  readonly buckets?: SharedBuckets;
  /**
   * A service's start, before it answers: reads the cursor signing key (the `cursor_secret` setting,
   * created with `input.cursorSecret()` the first time, as `setting` does), then purges as `purgeExpired`
   * does, a write transaction even with nothing to purge, so that a database this process cannot write
   * shows here (on SQLite, where reading an existing key writes nothing, it is the start's first write). A
   * purge that meets another process's lock (SQLite) is tried again for up to `input.lockWaitMs`. Rejects
   * with DatabaseOpenError naming the database and what is wrong with it (locked, read-only, full...), so
   * that a start stops there with one line.
   */
  startUp(input: StartUp): Promise<{ cursorSecret: string }>;
  /**
   * Creates the first start's tenant (`input.name`) with its admin and key, once per database; false, and
   * no tenant created, when it ran before or a tenant of that name exists (`server tenant create` ran
   * first). Events: tenant.created, api_key.created. A step of the start (made once the service listens),
   * it rejects with DatabaseOpenError, naming the database, whatever fails.
   */
  bootstrap(input: NewTenant, context?: EventContext): Promise<boolean>;
  /**
   * Creates a tenant with an active admin user and an API key named `admin` with the admin role's scopes;
   * rejects with TenantExistsError when the name is taken. Events: tenant.created, api_key.created.
   */
  createTenant(input: NewTenant, context?: EventContext): Promise<CreatedTenant>;
  /** Finds a tenant by id. */
  getTenant(id: string): Promise<TenantRecord | undefined>;
  /**
   * A number that changes whenever a credential is revoked (a key revoked, a user deactivated, an admin's
   * admin keys revoked by a role change), by any process sharing the database: caches of credentials compare
   * it before trusting an entry.
   */
  revocations(): Promise<number>;
  /**
   * Resolves a credential from its hash: an unrevoked API key unexpired at `now` (no expiry, or one after
   * `now`), or an unrevoked session unexpired at `now` whose user is active; undefined otherwise. A
   * credential whose expiry is `now` has expired (as `refusedApiKey` and `purgeExpired` count it). A key's
   * user is not looked at: deactivating a user revokes its keys.
   */
  findPrincipal(kind: Principal["kind"], tokenHash: string, now: string): Promise<Principal | undefined>;
  /** One user of a tenant. */
  getUser(tenantId: string, userId: string): Promise<UserRecord | undefined>;
  /**
   * One page of a tenant's users after `afterSeq` in seq order, filtered as `query` says (status, role,
   * mailbox, contained text), as API JSON. SQLite keeps each filter's first page until the next write by
   * anyone (see PageCache).
   */
  listUsers(query: UserQuery): Promise<UserPageRows>;
  /**
   * Creates a pending user and its invitation, and queues the invitation's email in the outbox, in one
   * transaction; a repeated idempotency key gets its stored response and creates nothing. Rejects with
   * EmailTakenError when a pending or active user of the tenant has the address. Event: user.invited. On
   * PostgreSQL the invitation budget is charged before the transaction (see NewInvitation's `admit`).
   */
  inviteUser(
    input: NewInvitation,
    idempotency?: IdempotencyWrite,
    context?: EventContext,
  ): Promise<InviteResult>;
  /**
   * Revokes a pending user's open invitations and creates a new one expiring at `expiresAt`, its email
   * queued (the sender mints its token), in one transaction; `not_found` for no such user, `not_pending`
   * for an active or inactive one, `replay` for a repeated idempotency key, `cooldown` when the user's
   * latest invitation was made after `cooldownSince` (one email per address per cooldown; pass `now` for
   * no cooldown). Event: invitation.resent.
   */
  resendInvitation(
    tenantId: string,
    userId: string,
    now: string,
    expiresAt: string,
    cooldownSince: string,
    idempotency?: IdempotencyWrite,
    context?: EventContext,
  ): Promise<ResendResult>;
  /**
   * Gives a pending or active user another role, in one transaction. The tenant's last active admin keeps
   * the role (`last_admin`); an inactive user is refused (`inactive`); the same role is `unchanged` and
   * writes nothing but the idempotency record; `replay` for a repeated idempotency key, `not_found` for no
   * such user. A user who loses `admin` loses the API keys that carry `admin:users` (revoked, counted in
   * `revokedKeys`, the revocation counter moved when there were any): a key never holds more than its user's
   * role gives. Event: user.role_changed (details: `from`, `to`, `revoked_keys`), only when the role changed.
   */
  setRole(
    tenantId: string,
    userId: string,
    role: Role,
    now: string,
    idempotency?: IdempotencyWrite,
    context?: EventContext,
  ): Promise<SetRoleResult>;
  /**
   * Deactivates a user and revokes its sessions, keys and open invitations, in one transaction, and moves
   * the revocation counter; an inactive user is returned unchanged (`done`), the tenant's last active admin
   * is refused (`last_admin`, nothing changed), `not_found` for no such user, `replay` for a repeated
   * idempotency key. Event: user.deactivated (only when the user changed).
   */
  deactivateUser(
    tenantId: string,
    userId: string,
    now: string,
    idempotency?: IdempotencyWrite,
    context?: EventContext,
  ): Promise<DeactivateResult>;
  /**
   * Redeems an invitation by its token's hash: the user becomes active and gets the session whose hash is
   * given; undefined for an unknown, expired (its expiry at or before `now`), accepted or revoked
   * invitation. Event: invitation.accepted, its actor the user and its credential the invitation.
   */
  acceptInvitation(input: AcceptInput, context?: EventContext): Promise<UserRecord | undefined>;
  /**
   * Creates an API key for a user; rejects with TooManyApiKeysError when the user already holds
   * `maxActiveKeys` unrevoked keys (expired ones count until revoked). Event: api_key.created.
   */
  createApiKey(input: NewApiKey, context?: EventContext): Promise<ApiKeyRecord>;
  /** One API key of a tenant, without its hash. */
  getApiKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined>;
  /** One page of a tenant's API keys (or one user's), in creation order; never their hashes. */
  listApiKeys(query: ApiKeyQuery): Promise<ApiKeyPage>;
  /**
   * Revokes an API key and moves the revocation counter, in one transaction (event: api_key.revoked);
   * `already` for a key revoked before (nothing written), `not_found` for no such key of the tenant (or of
   * `ownerId`); refuses (`last_admin_key`) the last unexpired admin:users key of the tenant's active users
   * when it belongs to an active user.
   */
  revokeApiKey(input: RevokeApiKey): Promise<RevokeApiKeyResult>;
  /**
   * Why a key that findPrincipal refused is refused, when the key is known: revoked (first), or expired (its
   * expiry at or before `now`); undefined for an unknown key or one that is live.
   */
  refusedApiKey(tokenHash: string, now: string): Promise<RefusedApiKey | undefined>;
  /** Writes the keys' last_used_at in one transaction (never moving it back). */
  touchApiKeys(uses: readonly ApiKeyUse[]): Promise<void>;
  /** Adds counted failed authentications to their per tenant, address and minute events, in one transaction. */
  recordAuthFailures(failures: readonly AuthFailureCount[]): Promise<void>;
  /** One page of a tenant's audit events, newest first. */
  listEvents(query: EventQuery): Promise<EventPage>;
  /** A response kept for an idempotency key, unless created before `notBefore`. */
  findIdempotent(credentialId: string, key: string, notBefore: string): Promise<StoredResponse | undefined>;
  /**
   * Deletes idempotency records created before `idempotencyBefore`, sessions revoked or expired at `now`
   * (their expiry at or before it, as findPrincipal counts them), and audit events older than `eventsBefore`
   * (when given), and PostgreSQL's rate-limit buckets untouched for ten minutes (full again: a bucket refills in
   * at most a minute, and a missing one counts as full). Invitations are not touched.
   */
  purgeExpired(now: string, idempotencyBefore: string, eventsBefore?: string): Promise<void>;
  /**
   * Reads a setting, creating it with `create()` the first time (for example the cursor signing key); of
   * stores racing to create it, every one gets the first value committed. SQLite reads first and writes only
   * when the setting is missing; PostgreSQL always makes a write transaction and calls `create()` each time
   * (its value unused once the setting exists).
   */
  setting(key: string, create: () => string): Promise<string>;
  /**
   * SQLite: rejects with DatabaseFileLostError once the file under the store is no longer the one it opened
   * (deleted or replaced), and on every call after, as every write then does; never for `:memory:`.
   * PostgreSQL: never rejects (the database server is the storage: there is no file that could be swapped).
   */
  verifyStorage(): Promise<void>;
  /** Closes the database. */
  close(): Promise<void>;
}

/** What creating an API key needs: the owner, its name and scopes, and the hash of the secret. */
export interface NewApiKey {
  tenantId: string;
  userId: string;
  name: string;
  scopes: string[];
  keyHash: string;
  now: string;
  /** When the key stops working (ISO time); absent or null: never. */
  expiresAt?: string | null | undefined;
  /**
   * Refuse with TooManyApiKeysError when the user already holds this many unrevoked keys, expired ones
   * included (0 or absent: no limit).
   */
  maxActiveKeys?: number;
}
