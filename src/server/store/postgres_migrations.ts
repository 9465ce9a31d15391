/**
 * The PostgreSQL schema, versioned in code like SQLite's (migrations.ts): `meta.schema_version` records the
 * version a database has. One entry per version; never edit a released entry, append a new one. The tables
 * and indexes are SQLite's, in PostgreSQL's types; times stay ISO 8601 text, so both engines compare them
 * the same way.
 */

/** Each entry moves the schema one version up. */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: the schema of SQLite's migrations 1-5: tenants, users, invitations, credentials (API keys with an
  // expiry and last use), idempotency records, settings, the invitation outbox and the audit log. A user's API
  // JSON is built from its columns when a page is read.
  `
  CREATE TABLE meta (
    key text PRIMARY KEY,
    value text NOT NULL
  );

  CREATE TABLE tenants (
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    created_at text NOT NULL
  );

  CREATE TABLE users (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    tenant_id text NOT NULL REFERENCES tenants (id),
    email text NOT NULL,
    email_key text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'active', 'inactive')),
    role text NOT NULL CHECK (role IN ('admin', 'member')),
    created_at text NOT NULL,
    invited_by text,
    activated_at text,
    deactivated_at text
  );
  -- One pending or active user per email and tenant, whatever the case; inactive users keep their record.
  CREATE UNIQUE INDEX users_live_email ON users (tenant_id, email_key) WHERE status <> 'inactive';
  CREATE INDEX users_tenant_seq ON users (tenant_id, seq);
  CREATE INDEX users_tenant_status_seq ON users (tenant_id, status, seq);
  CREATE INDEX users_tenant_role_seq ON users (tenant_id, role, seq);
  -- One mailbox, inactive records included (GET /v1/users?email=).
  CREATE INDEX users_tenant_email_key_seq ON users (tenant_id, email_key, seq);

  CREATE TABLE invitations (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    user_id text NOT NULL REFERENCES users (id),
    token_hash text NOT NULL UNIQUE,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    accepted_at text,
    revoked_at text
  );
  CREATE INDEX invitations_user ON invitations (user_id);

  CREATE TABLE api_keys (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    tenant_id text NOT NULL REFERENCES tenants (id),
    user_id text NOT NULL REFERENCES users (id),
    name text NOT NULL,
    scopes text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    created_at text NOT NULL,
    revoked_at text,
    expires_at text,
    last_used_at text
  );
  CREATE INDEX api_keys_user ON api_keys (user_id);
  CREATE INDEX api_keys_tenant_seq ON api_keys (tenant_id, seq);
  CREATE INDEX api_keys_tenant_user_seq ON api_keys (tenant_id, user_id, seq);

  CREATE TABLE sessions (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    user_id text NOT NULL REFERENCES users (id),
    token_hash text NOT NULL UNIQUE,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    revoked_at text
  );
  CREATE INDEX sessions_user ON sessions (user_id);

  CREATE TABLE idempotency_keys (
    credential_id text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    status integer NOT NULL,
    body text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (credential_id, key)
  );
  CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

  CREATE TABLE invitation_outbox (
    invitation_id text PRIMARY KEY REFERENCES invitations (id),
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'cancelled', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    -- When the row may be (re)tried; while a sender holds it, the end of that sender's lease.
    next_attempt_at text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    -- Who holds a claimed row (SQLite's migration 8): the rows of a killed process are taken over at start-up.
    holder_pid integer,
    holder_host text
  );
  CREATE INDEX invitation_outbox_due ON invitation_outbox (next_attempt_at) WHERE state = 'pending';

  -- The audit log (SQLite's migration 5): failed authentications add up on one row per aggregate_key.
  CREATE TABLE events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    time text NOT NULL,
    tenant_id text,
    actor_user_id text,
    actor_credential_id text,
    action text NOT NULL,
    target text,
    request_id text,
    client_address text,
    count integer NOT NULL DEFAULT 1,
    details text,
    aggregate_key text UNIQUE
  );
  CREATE INDEX events_tenant_time ON events (tenant_id, time, seq);
  CREATE INDEX events_tenant_action_time ON events (tenant_id, action, time, seq);
  CREATE INDEX events_time ON events (time);

  -- The rate limits' token buckets (postgres_buckets.ts), shared by every instance. UNLOGGED: no WAL for a
  -- write per request; after a crash of PostgreSQL the buckets start full again, which a limit can afford.
  CREATE UNLOGGED TABLE rate_buckets (
    key text PRIMARY KEY,
    tokens double precision NOT NULL,
    at_ms bigint NOT NULL
  );
  `,
];
