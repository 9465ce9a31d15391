/** Schema migrations, versioned in code; `PRAGMA user_version` records the version a database has. */

/** Each entry moves the schema one version up; never edit a released entry, append a new one. */
export const MIGRATIONS: readonly string[] = [
  // 1: tenants, users, invitations, credentials, idempotency records and settings.
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE users (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'inactive')),
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_at TEXT NOT NULL,
    invited_by TEXT,
    activated_at TEXT,
    deactivated_at TEXT
  ) STRICT;
  -- One pending or active user per email and tenant, whatever the case; inactive users keep their record.
  CREATE UNIQUE INDEX users_live_email ON users (tenant_id, email_key) WHERE status != 'inactive';
  CREATE INDEX users_tenant_seq ON users (tenant_id, seq);
  CREATE INDEX users_tenant_status_seq ON users (tenant_id, status, seq);
  CREATE INDEX users_tenant_role_seq ON users (tenant_id, role, seq);

  CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    revoked_at TEXT
  ) STRICT;
  CREATE INDEX invitations_user ON invitations (user_id);

  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT;
  CREATE INDEX api_keys_user ON api_keys (user_id);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT;
  CREATE INDEX sessions_user ON sessions (user_id);

  CREATE TABLE idempotency_keys (
    credential_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (credential_id, key)
  ) STRICT;
  CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
  `,
  // 2: the invitation outbox, written in the invitation's transaction and drained by the mail sender. It
  // holds no token: the sender mints one per attempt and stores only its hash (see mail/sender.ts).
  `
  CREATE TABLE invitation_outbox (
    invitation_id TEXT PRIMARY KEY REFERENCES invitations (id),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'cancelled', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    -- When the row may be (re)tried; while a sender holds it, the end of that sender's lease.
    next_attempt_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX invitation_outbox_due ON invitation_outbox (next_attempt_at) WHERE state = 'pending';
  `,
  // 3: each user row carries its API JSON (`wire`, the members of wireUser in its order), computed by SQLite
  // on every write, so a page of users is a concatenation of stored strings instead of 100 objects built
  // and serialized per request (see bench/RESULTS.md, "List pages"). A STORED column cannot be added by
  // ALTER TABLE, so the table is rebuilt the way SQLite documents (foreign keys are off while it runs).
  `
  CREATE TABLE users_v3 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'inactive')),
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_at TEXT NOT NULL,
    invited_by TEXT,
    activated_at TEXT,
    deactivated_at TEXT,
    wire TEXT NOT NULL GENERATED ALWAYS AS (json_object(
      'id', id, 'email', email, 'status', status, 'role', role, 'created_at', created_at,
      'invited_by', invited_by, 'activated_at', activated_at, 'deactivated_at', deactivated_at
    )) STORED
  ) STRICT;
  INSERT INTO users_v3 (seq, id, tenant_id, email, email_key, status, role, created_at, invited_by,
      activated_at, deactivated_at)
    SELECT seq, id, tenant_id, email, email_key, status, role, created_at, invited_by, activated_at,
      deactivated_at
    FROM users;
  DROP TABLE users;
  ALTER TABLE users_v3 RENAME TO users;
  CREATE UNIQUE INDEX users_live_email ON users (tenant_id, email_key) WHERE status != 'inactive';
  CREATE INDEX users_tenant_seq ON users (tenant_id, seq);
  CREATE INDEX users_tenant_status_seq ON users (tenant_id, status, seq);
  CREATE INDEX users_tenant_role_seq ON users (tenant_id, role, seq);
  `,
  // 4: API keys that can be managed: an expiry, the time of last use (written in batches, at most once a
  // minute per key), and a seq for keyset pagination of GET /v1/api-keys. The table is rebuilt to give it
  // the seq (a rowid alias, which VACUUM keeps), the way migration 3 rebuilt users.
  `
  CREATE TABLE api_keys_v4 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    expires_at TEXT,
    last_used_at TEXT
  ) STRICT;
  INSERT INTO api_keys_v4 (id, tenant_id, user_id, name, scopes, key_hash, created_at, revoked_at)
    SELECT id, tenant_id, user_id, name, scopes, key_hash, created_at, revoked_at
    FROM api_keys ORDER BY created_at, rowid;
  DROP TABLE api_keys;
  ALTER TABLE api_keys_v4 RENAME TO api_keys;
  CREATE INDEX api_keys_user ON api_keys (user_id);
  CREATE INDEX api_keys_tenant_seq ON api_keys (tenant_id, seq);
  CREATE INDEX api_keys_tenant_user_seq ON api_keys (tenant_id, user_id, seq);
  `,
  // 5: the audit log. Each write inserts its event in the write's own transaction. Failed authentications
  // are counted in memory and written in batches, one row per tenant, address and minute: their row has an
  // aggregate_key and its count grows (NULL keys never collide). Newest first is (time, seq) descending;
  // each filter (action, target, actor user, actor credential) has an index ending in (time, seq), so a
  // filtered page is an index range too.
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    time TEXT NOT NULL,
    tenant_id TEXT,
    actor_user_id TEXT,
    actor_credential_id TEXT,
    action TEXT NOT NULL,
    target TEXT,
    request_id TEXT,
    client_address TEXT,
    count INTEGER NOT NULL DEFAULT 1,
    details TEXT,
    aggregate_key TEXT UNIQUE
  ) STRICT;
  CREATE INDEX events_tenant_time ON events (tenant_id, time, seq);
  CREATE INDEX events_tenant_action_time ON events (tenant_id, action, time, seq);
  CREATE INDEX events_tenant_target_time ON events (tenant_id, target, time, seq);
  CREATE INDEX events_tenant_actor_time ON events (tenant_id, actor_user_id, time, seq);
  CREATE INDEX events_tenant_credential_time ON events (tenant_id, actor_credential_id, time, seq);
  CREATE INDEX events_time ON events (time);
  `,
  // 6: finding users by email (`GET /v1/users?email=` and `?q=`).
  // - users_tenant_email_key_seq finds one mailbox, inactive records included (users_live_email leaves
  //   them out).
  // - users_search, a trigram full-text index of each user's email key kept by triggers, finds the users
  //   whose email contains a text of 3 characters or more in rowid (seq) order, so a page stops at its
  //   limit: a text one user has costs about 0.3 ms for 100,000 users instead of a 15-30 ms scan.
  // - users_tenant_seq_search holds what a shorter (2-character) or non-ASCII search compares, so such a
  //   scan reads the index, not the rows and their stored JSON.
  // A later migration that rebuilds `users` (as 3 did) must create these triggers again.
  `
  CREATE INDEX users_tenant_email_key_seq ON users (tenant_id, email_key, seq);
  CREATE INDEX users_tenant_seq_search ON users (tenant_id, seq, email_key, status, role);
  CREATE VIRTUAL TABLE users_search USING fts5(
    email_key, content = 'users', content_rowid = 'seq', tokenize = 'trigram'
  );
  CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search (rowid, email_key) VALUES (new.seq, new.email_key);
  END;
  CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search (users_search, rowid, email_key) VALUES ('delete', old.seq, old.email_key);
  END;
  CREATE TRIGGER users_search_update AFTER UPDATE OF email_key ON users BEGIN
    INSERT INTO users_search (users_search, rowid, email_key) VALUES ('delete', old.seq, old.email_key);
    INSERT INTO users_search (rowid, email_key) VALUES (new.seq, new.email_key);
  END;
  INSERT INTO users_search (users_search) VALUES ('rebuild');
  `,
  // 8 (reserved for issue 18; entries are positional, so it follows whatever precedes it): who holds a
  // claimed outbox row, so a restart on the same host takes over at once the rows of a process that is gone
  // (killed) instead of waiting out their lease. NULL when nobody holds the row.
  `
  ALTER TABLE invitation_outbox ADD COLUMN holder_pid INTEGER;
  ALTER TABLE invitation_outbox ADD COLUMN holder_host TEXT;
  `,
];
