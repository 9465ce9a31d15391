// The store's contract, the same tests on both engines: SQLite (two connections to one file) and PostgreSQL
// (two connection pools to one database, as two server instances hold them). Each behaviour that several
// instances must keep is checked with two stores racing on one database.
import assert from "node:assert/strict";
import { join } from "node:path";
import { emailKey } from "../../src/email/key.ts";
import { hashSecret, newSecret } from "../../src/server/ids.ts";
import { DatabaseOpenError, openStore } from "../../src/server/store/open.ts";
import { POSTGRES_MIGRATIONS } from "../../src/server/store/postgres_migrations.ts";
import {
  EmailTakenError,
  type EventContext,
  type EventQuery,
  type IdempotencyWrite,
  type Store,
  TooManyApiKeysError,
  type UserRecord,
} from "../../src/server/store/types.ts";
import { wireUser } from "../../src/server/wire.ts";
import { needsPostgres, type PostgresCluster, startPostgres } from "../support/postgres.ts";

const decoder = new TextDecoder();
const HOLDER = { pid: 4242, host: "test-host" };
const DAY = 86_400_000;

function iso(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

function invitation(tenantId: string, invitedBy: string, email: string, role: "admin" | "member" = "member") {
  return { tenantId, email, role, invitedBy, now: iso(), expiresAt: iso(DAY) };
}

function idempotency(credentialId: string, key: string): IdempotencyWrite {
  return {
    credentialId,
    key,
    requestHash: "h1",
    status: 201,
    expiredBefore: iso(-DAY),
    render: (user: UserRecord) => JSON.stringify(wireUser(user)),
  };
}

/** The first page (up to 10) of a tenant's events, newest first, of one action or all. */
function eventsOf(tenantId: string, action?: string): EventQuery {
  const none = { since: undefined, until: undefined, actor: undefined, target: undefined };
  return { tenantId, action, ...none, afterSeq: 0, limit: 10 };
}

async function tenantOf(store: Store, name: string) {
  const key = newSecret("phy_");
  const created = await store.createTenant({
    name,
    adminEmail: `admin@${name}.test`,
    apiKeyHash: hashSecret(key),
    now: iso(),
  });
  return { ...created, key };
}

/** An engine under test: where a fresh database is. */
interface Engine {
  name: string;
  fresh(): Promise<string>;
}

// The behaviours, each run on two stores over one fresh database of the engine.
const CASES: Record<string, (a: Store, b: Store) => Promise<void>> = {
  "a page lists each user's API JSON in order, pages follow each other, filters apply": async (a, b) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    const invited: UserRecord[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await a.inviteUser(invitation(tenant.id, admin.id, `u${i}@example.com`));
      assert.equal(result.kind, "created");
      if (result.kind === "created") invited.push(result.user);
    }
    const first = await b.listUsers({
      tenantId: tenant.id,
      status: undefined,
      role: undefined,
      afterSeq: 0,
      limit: 4,
    });
    assert.equal(first.json.length, 4);
    assert.equal(first.more, true);
    assert.deepEqual(
      first.json.map((bytes) => JSON.parse(decoder.decode(bytes))),
      [admin, ...invited.slice(0, 3)].map(wireUser),
    );
    // The bytes are exactly what wireUser gives, through JSON.stringify.
    assert.equal(decoder.decode(first.json[1]), JSON.stringify(wireUser(invited[0] as UserRecord)));
    const second = await b.listUsers({
      tenantId: tenant.id,
      status: undefined,
      role: undefined,
      afterSeq: first.lastSeq,
      limit: 4,
    });
    assert.deepEqual(second.json.map((bytes) => JSON.parse(decoder.decode(bytes)).email), [
      "u3@example.com",
      "u4@example.com",
    ]);
    assert.equal(second.more, false);
    const pending = await b.listUsers({
      tenantId: tenant.id,
      status: "pending",
      role: "member",
      afterSeq: 0,
      limit: 100,
    });
    assert.equal(pending.json.length, 5);
    const admins = await b.listUsers({
      tenantId: tenant.id,
      status: undefined,
      role: "admin",
      afterSeq: 0,
      limit: 100,
    });
    assert.equal(admins.json.length, 1);
    assert.deepEqual(await b.getUser(tenant.id, admin.id), admin);
    assert.equal(await b.getUser("ten_other", admin.id), undefined);
  },

  "two stores inviting one mailbox at once: exactly one user, the other is told the email exists": async (
    a,
    b,
  ) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    const results = await Promise.allSettled([
      a.inviteUser(invitation(tenant.id, admin.id, "race@example.com")),
      b.inviteUser(invitation(tenant.id, admin.id, "RACE@Example.com")),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    assert.ok(refused.reason instanceof EmailTakenError, String(refused.reason));
    const page = await a.listUsers({
      tenantId: tenant.id,
      status: "pending",
      role: undefined,
      afterSeq: 0,
      limit: 10,
    });
    assert.equal(page.json.length, 1);
  },

  "one idempotency key on two stores at once: both get the first answer, one user": async (a, b) => {
    const { tenant, admin, apiKey } = await tenantOf(a, "acme");
    for (let round = 0; round < 5; round++) {
      const key = `key-${round}`;
      const email = `idem${round}@example.com`;
      const [x, y] = await Promise.all([
        a.inviteUser(invitation(tenant.id, admin.id, email), idempotency(apiKey.id, key)),
        b.inviteUser(invitation(tenant.id, admin.id, email), idempotency(apiKey.id, key)),
      ]);
      const kinds = [x.kind, y.kind].sort();
      assert.deepEqual(kinds, ["created", "replay"], `round ${round}`);
      const created = [x, y].find((r) => r.kind === "created");
      const replay = [x, y].find((r) => r.kind === "replay");
      assert.ok(created?.kind === "created" && replay?.kind === "replay");
      assert.equal(JSON.parse(replay.response.body).id, created.user.id);
      assert.equal(replay.response.status, 201);
    }
  },

  "a deactivation through one store revokes the user's key for the other at once": async (a, b) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    const invited = await a.inviteUser(invitation(tenant.id, admin.id, "second@example.com", "admin"));
    assert.equal(invited.kind, "created");
    if (invited.kind !== "created") return;
    const memberKey = newSecret("phy_");
    await a.createApiKey({
      tenantId: tenant.id,
      userId: invited.user.id,
      name: "ci",
      scopes: ["users:read"],
      keyHash: hashSecret(memberKey),
      now: iso(),
    });
    assert.ok(await b.findPrincipal("api_key", hashSecret(memberKey), iso()));
    const before = await b.revocations();
    const done = await a.deactivateUser(tenant.id, invited.user.id, iso());
    assert.equal(done.kind, "done");
    assert.notEqual(await b.revocations(), before);
    assert.equal(await b.findPrincipal("api_key", hashSecret(memberKey), iso()), undefined);
    assert.equal((await b.getUser(tenant.id, invited.user.id))?.status, "inactive");
  },

  "two active admins deactivating each other at once: one stays, the tenant keeps an admin": async (a, b) => {
    for (let round = 0; round < 3; round++) {
      const { tenant, admin } = await tenantOf(a, `acme${round}`);
      const other = await a.inviteUser(invitation(tenant.id, admin.id, "other@example.com", "admin"));
      assert.ok(other.kind === "created");
      // Activate the second admin through its invitation: the sender mints the token.
      const token = newSecret("phi_");
      const claimed = await a.outbox.claimDue(iso(), iso(60_000), [hashSecret(token)], HOLDER);
      assert.equal(claimed.length, 1);
      const accepted = await a.acceptInvitation({
        tokenHash: hashSecret(token),
        now: iso(),
        sessionHash: hashSecret(newSecret("phs_")),
        sessionExpiresAt: iso(DAY),
      });
      assert.equal(accepted?.status, "active");
      const results = await Promise.all([
        a.deactivateUser(tenant.id, admin.id, iso()),
        b.deactivateUser(tenant.id, other.user.id, iso()),
      ]);
      assert.deepEqual(results.map((r) => r.kind).sort(), ["done", "last_admin"], `round ${round}`);
    }
  },

  "two stores claiming the outbox at once never take one invitation twice": async (a, b) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    for (let i = 0; i < 40; i++) await a.inviteUser(invitation(tenant.id, admin.id, `m${i}@example.com`));
    const hashes = (n: number) => Array.from({ length: n }, () => hashSecret(newSecret("phi_")));
    const claims = await Promise.all(
      [a, b, a, b].map((store) => store.outbox.claimDue(iso(), iso(60_000), hashes(15), HOLDER)),
    );
    const ids = claims.flat().map((c) => c.invitationId);
    assert.equal(ids.length, 40);
    assert.equal(new Set(ids).size, 40);
    // Leased: nobody claims them again before the lease ends, and after it they are due again.
    assert.equal((await b.outbox.claimDue(iso(), iso(60_000), hashes(10), HOLDER)).length, 0);
    assert.equal((await b.outbox.claimDue(iso(61_000), iso(120_000), hashes(50), HOLDER)).length, 40);
    await a.outbox.markSent(ids, iso());
    assert.equal(await b.outbox.pendingCount(), 0);
  },

  "a user may hold at most the allowed active keys, however many stores ask at once": async (a, b) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    const attempts = Array.from({ length: 6 }, (_, i) =>
      (i % 2 === 0 ? a : b).createApiKey({
        tenantId: tenant.id,
        userId: admin.id,
        name: `k${i}`,
        scopes: ["users:read"],
        keyHash: hashSecret(newSecret("phy_")),
        now: iso(),
        maxActiveKeys: 3,
      }));
    const results = await Promise.allSettled(attempts);
    // The admin's bootstrap key is one of the three.
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 2);
    for (const r of results) {
      if (r.status === "rejected") assert.ok(r.reason instanceof TooManyApiKeysError, String(r.reason));
    }
  },

  "bootstrap on two stores at once creates the default tenant once; settings are created once": async (
    a,
    b,
  ) => {
    const input = (key: string) => ({
      name: "default",
      adminEmail: "admin@default.invalid",
      apiKeyHash: hashSecret(key),
      now: iso(),
    });
    const done = await Promise.all([
      a.bootstrap(input(newSecret("phy_"))),
      b.bootstrap(input(newSecret("phy_"))),
    ]);
    assert.deepEqual(done.sort(), [false, true]);
    const [x, y] = await Promise.all([
      a.setting("cursor_secret", () => "one"),
      b.setting("cursor_secret", () => "two"),
    ]);
    assert.equal(x, y);
  },
};

const ACTOR: EventContext = {
  actorUserId: "usr_actor",
  actorCredentialId: "key_actor",
  requestId: "req_1",
  clientAddress: "127.0.0.1",
};

Object.assign(CASES, {
  "API keys: listed in pages, an expired key refused with its reason, a revocation seen by the other store":
    async (
      a: Store,
      b: Store,
    ) => {
      const { tenant, admin, apiKey } = await tenantOf(a, "acme");
      const expiring = newSecret("phy_");
      const created = await a.createApiKey({
        tenantId: tenant.id,
        userId: admin.id,
        name: "short",
        scopes: ["users:read"],
        keyHash: hashSecret(expiring),
        now: iso(),
        expiresAt: iso(60_000),
      }, ACTOR);
      assert.notEqual(created.expiresAt, null);
      assert.ok(await b.findPrincipal("api_key", hashSecret(expiring), iso()));
      assert.equal(await b.findPrincipal("api_key", hashSecret(expiring), iso(120_000)), undefined);
      assert.equal((await b.refusedApiKey(hashSecret(expiring), iso(120_000)))?.reason, "expired");
      const first = await b.listApiKeys({ tenantId: tenant.id, userId: undefined, afterSeq: 0, limit: 1 });
      assert.deepEqual(first.keys.map((k) => k.id), [apiKey.id]);
      assert.equal(first.more, true);
      const second = await b.listApiKeys({
        tenantId: tenant.id,
        userId: admin.id,
        afterSeq: first.lastSeq,
        limit: 5,
      });
      assert.deepEqual(second.keys.map((k) => k.id), [created.id]);
      // The tenant's only admin:users key cannot be revoked; another key can, and the other store sees it.
      const last = await b.revokeApiKey({
        tenantId: tenant.id,
        keyId: apiKey.id,
        ownerId: undefined,
        now: iso(),
        context: ACTOR,
      });
      assert.equal(last.kind, "last_admin_key");
      const before = await b.revocations();
      const revoked = await a.revokeApiKey({
        tenantId: tenant.id,
        keyId: created.id,
        ownerId: undefined,
        now: iso(),
        context: ACTOR,
      });
      assert.ok(revoked.kind === "done" && !revoked.already);
      assert.notEqual(await b.revocations(), before);
      assert.equal(await b.findPrincipal("api_key", hashSecret(expiring), iso()), undefined);
      assert.equal((await b.refusedApiKey(hashSecret(expiring), iso()))?.reason, "revoked");
      await a.touchApiKeys([{ keyId: apiKey.id, at: "2030-01-01T00:00:00.000Z" }]);
      await b.touchApiKeys([{ keyId: apiKey.id, at: "2029-01-01T00:00:00.000Z" }]);
      assert.equal((await a.getApiKey(tenant.id, apiKey.id))?.lastUsedAt, "2030-01-01T00:00:00.000Z");
    },

  "audit events: each write records one, newest first, filtered; failed logins add up across stores": async (
    a: Store,
    b: Store,
  ) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    const invited = await a.inviteUser(invitation(tenant.id, admin.id, "ev@example.com"), undefined, ACTOR);
    assert.ok(invited.kind === "created");
    await b.deactivateUser(tenant.id, invited.user.id, iso(1), undefined, ACTOR);
    const page = await b.listEvents(eventsOf(tenant.id));
    assert.deepEqual(page.events.map((e) => e.action), [
      "user.deactivated",
      "user.invited",
      "api_key.created",
      "tenant.created",
    ]);
    const deactivated = page.events[0];
    assert.equal(deactivated?.target, invited.user.id);
    assert.equal(deactivated?.actorCredentialId, "key_actor");
    assert.equal(deactivated?.requestId, "req_1");
    const failure = {
      tenantId: tenant.id,
      credentialId: null,
      clientAddress: "192.0.2.1",
      minute: "2030-01-01T00:00:00.000Z",
      count: 3,
      requestId: "req_f",
    };
    await a.recordAuthFailures([failure]);
    await b.recordAuthFailures([{ ...failure, count: 2 }]);
    const failed = await a.listEvents(eventsOf(tenant.id, "auth.failed"));
    assert.deepEqual(failed.events.map((e) => e.count), [5]);
    await a.purgeExpired(iso(), iso(-DAY), "2031-01-01T00:00:00.000Z");
    const left = await b.listEvents(eventsOf(tenant.id));
    assert.equal(left.events.length, 0);
  },
});

Object.assign(CASES, {
  "a role change: the last admin keeps it across stores, a demoted admin's admin keys go, an event records it":
    async (
      a: Store,
      b: Store,
    ) => {
      const { tenant, admin, apiKey } = await tenantOf(a, "acme");
      const other = await a.inviteUser(invitation(tenant.id, admin.id, "two@example.com", "admin"));
      assert.ok(other.kind === "created");
      const token = newSecret("phi_");
      await a.outbox.claimDue(iso(), iso(60_000), [hashSecret(token)], HOLDER);
      await a.acceptInvitation({
        tokenHash: hashSecret(token),
        now: iso(),
        sessionHash: hashSecret(newSecret("phs_")),
        sessionExpiresAt: iso(DAY),
      });
      // Two admins demoting each other at once through two stores: one keeps the role.
      const both = await Promise.all([
        a.setRole(tenant.id, admin.id, "member", iso()),
        b.setRole(tenant.id, other.user.id, "member", iso()),
      ]);
      assert.deepEqual(both.map((r) => r.kind).sort(), ["done", "last_admin"]);
      const demoted = both.find((r) => r.kind === "done");
      assert.ok(demoted?.kind === "done" && demoted.previousRole === "admin");
      if (demoted.user.id === admin.id) {
        assert.equal(demoted.revokedKeys, 1);
        assert.equal((await b.getApiKey(tenant.id, apiKey.id))?.revokedAt !== null, true);
      }
      assert.equal(
        (await b.setRole(tenant.id, other.user.id, other.user.role, iso())).kind,
        demoted.user.id === admin.id ? "unchanged" : "done",
      );
    },

  "a resend within the cooldown sends nothing; email and search filters find users": async (
    a: Store,
    b: Store,
  ) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    const invited = await a.inviteUser(invitation(tenant.id, admin.id, "Zoë@München.example"));
    assert.ok(invited.kind === "created");
    const cooldown = await b.resendInvitation(tenant.id, invited.user.id, iso(), iso(DAY), iso(-60_000));
    assert.equal(cooldown.kind, "cooldown");
    const resent = await b.resendInvitation(tenant.id, invited.user.id, iso(120_000), iso(DAY), iso(60_000));
    assert.equal(resent.kind, "done");
    const base = { tenantId: tenant.id, status: undefined, role: undefined, afterSeq: 0, limit: 10 };
    const byEmail = await b.listUsers({
      ...base,
      emailKey: emailKey("zoë@münchen.example"),
    });
    assert.equal(byEmail.json.length, 1);
    assert.equal((await b.listUsers({ ...base, contains: "xn--mnchen" })).json.length, 1);
    assert.equal((await b.listUsers({ ...base, contains: "münchen" })).json.length, 1);
    assert.equal((await b.listUsers({ ...base, contains: "nobody" })).json.length, 0);
  },

  "a session whose expiry is `now` is expired: findPrincipal refuses it and purgeExpired deletes it": async (
    a: Store,
    b: Store,
  ) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    await a.inviteUser(invitation(tenant.id, admin.id, "s@example.com"));
    const token = newSecret("phi_");
    await a.outbox.claimDue(iso(), iso(60_000), [hashSecret(token)], HOLDER);
    const session = hashSecret(newSecret("phs_"));
    const expiry = "2030-01-01T00:00:00.000Z";
    const before = "2029-12-31T23:59:59.999Z";
    const accepted = await a.acceptInvitation({
      tokenHash: hashSecret(token),
      now: iso(),
      sessionHash: session,
      sessionExpiresAt: expiry,
    });
    assert.ok(accepted);
    assert.equal((await b.findPrincipal("session", session, before))?.kind, "session");
    assert.equal(await b.findPrincipal("session", session, expiry), undefined);
    await a.purgeExpired(expiry, iso(-DAY));
    // Gone, not only refused: asked at a time it was still valid, the session is not found.
    assert.equal(await b.findPrincipal("session", session, before), undefined);
  },

  "the rows of a gone holder are released at once; a live holder's wait for their lease": async (
    a: Store,
    b: Store,
  ) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    for (let i = 0; i < 3; i++) await a.inviteUser(invitation(tenant.id, admin.id, `h${i}@example.com`));
    const hashes = (n: number) => Array.from({ length: n }, () => hashSecret(newSecret("phi_")));
    assert.equal((await a.outbox.claimDue(iso(), iso(60_000), hashes(2), { pid: 111, host: "h" })).length, 2);
    assert.equal((await a.outbox.claimDue(iso(), iso(60_000), hashes(2), { pid: 222, host: "h" })).length, 1);
    assert.deepEqual((await b.outbox.holders("h", iso())).sort(), [111, 222]);
    assert.equal(await b.outbox.releaseHolder("h", 111, iso()), 2);
    assert.equal((await b.outbox.claimDue(iso(), iso(60_000), hashes(5), HOLDER)).length, 2);
  },

  "a start's steps fail as the database's: startUp and bootstrap reject with DatabaseOpenError": async (
    a: Store,
    b: Store,
  ) => {
    const start = {
      cursorSecret: () => "secret",
      now: iso(),
      idempotencyBefore: iso(-DAY),
      lockWaitMs: 100,
    };
    assert.deepEqual(await a.startUp(start), { cursorSecret: "secret" });
    assert.deepEqual(await a.startUp({ ...start, cursorSecret: () => "another" }), {
      cursorSecret: "secret",
    });
    await b.close();
    const openError = (error: unknown) => {
      assert.ok(error instanceof DatabaseOpenError, String(error));
      assert.match(error.message, /^Cannot open database "/);
      return true;
    };
    await assert.rejects(b.startUp(start), openError);
    await assert.rejects(
      b.bootstrap({ name: "default", adminEmail: "a@b.test", apiKeyHash: "h", now: iso() }),
      openError,
    );
  },

  "a row waiting for its retry is nobody's: a takeover does not bring the retry forward": async (
    a: Store,
    b: Store,
  ) => {
    const { tenant, admin } = await tenantOf(a, "acme");
    await a.inviteUser(invitation(tenant.id, admin.id, "retry@example.com"));
    const [row] = await a.outbox.claimDue(iso(), iso(60_000), [hashSecret(newSecret("phi_"))], {
      pid: 111,
      host: "h",
    });
    assert.ok(row);
    await a.outbox.retryAt(row.invitationId, iso(30_000), iso());
    assert.deepEqual(await b.outbox.holders("h", iso()), []);
    assert.equal(await b.outbox.releaseHolder("h", 111, iso()), 0);
    assert.deepEqual(
      await b.outbox.claimDue(iso(), iso(60_000), [hashSecret(newSecret("phi_"))], HOLDER),
      [],
    );
    assert.equal(await b.outbox.pendingCount(), 1);
  },
});

async function runCases(t: Deno.TestContext, engine: Engine): Promise<void> {
  for (const [name, fn] of Object.entries(CASES)) {
    await t.step(name, async () => {
      const location = await engine.fresh();
      const [a, b] = await Promise.all([openStore(location), openStore(location)]);
      try {
        await fn(a, b);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
}

Deno.test("store contract on SQLite (two connections to one file)", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-engines-" });
  let n = 0;
  try {
    await runCases(t, { name: "sqlite", fresh: () => Promise.resolve(join(dir, `db${++n}.sqlite`)) });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "store contract on PostgreSQL (two connection pools to one database, as two instances)",
  ...needsPostgres(),
  async fn(t) {
    await using cluster = await startPostgres();
    await runCases(t, { name: "postgres", fresh: () => cluster.database() });
    await t.step("instances started together migrate once; a newer schema is refused", async () => {
      const url = await cluster.database();
      const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
      await Promise.all(stores.map((s) => s.close()));
      await bumpSchema(cluster, url);
      await assert.rejects(openStore(url), (error) => {
        assert.ok(error instanceof DatabaseOpenError);
        assert.equal(error.failure, "too_new");
        assert.match(error.message, new RegExp(`supports \\(${POSTGRES_MIGRATIONS.length}\\)`));
        return true;
      });
    });
    await t.step("the purge drops rate-limit buckets untouched for ten minutes, and only those", async () => {
      const url = await cluster.database();
      const store = await openStore(url);
      const { default: postgres } = await import("postgres");
      const sql = postgres(url, { onnotice: () => {} });
      try {
        const t0 = Date.parse("2026-12-01T00:00:00Z");
        const charge = (key: string, at: number) => store.buckets!.charge([{ key, perMinute: 60 }], at);
        await charge("ip:192.0.2.1", t0);
        await charge("ip:192.0.2.2", t0 + 9 * 60_000);
        const at = new Date(t0 + 10 * 60_000 + 1).toISOString();
        await store.purgeExpired(at, at);
        const rows = await sql<{ key: string }[]>`SELECT key FROM rate_buckets ORDER BY key`;
        assert.deepEqual(rows.map((r) => r.key), ["ip:192.0.2.2"]);
        // A swept bucket is full again, as it would have been: the same answer as before the sweep.
        const again = await store.buckets!.charge([{ key: "ip:192.0.2.1", perMinute: 60 }], t0 + 11 * 60_000);
        assert.deepEqual(again, { wait: 0, states: [{ key: "ip:192.0.2.1", remaining: 59, reset: 1 }] });
      } finally {
        await sql.end();
        await store.close();
      }
    });
    await t.step("a wrong database name or an absent server says which, never the password", async () => {
      const missing = cluster.url.replace("phyware@", "phyware:s3cret@").replace(/\/postgres$/, "/nope");
      await assert.rejects(openStore(missing), (error) => {
        assert.ok(error instanceof DatabaseOpenError);
        assert.equal(error.failure, "no_such_database");
        assert.doesNotMatch(error.message, /s3cret/);
        assert.match(error.message, /phyware:\*\*\*@/);
        return true;
      });
    });
  },
});

async function bumpSchema(cluster: PostgresCluster, url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { onnotice: () => {} });
  try {
    await sql`UPDATE meta SET value = ${String(POSTGRES_MIGRATIONS.length + 1)} WHERE key = 'schema_version'`;
  } finally {
    await sql.end();
  }
  void cluster;
}
