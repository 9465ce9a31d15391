// The server verbs' parse steps (server start, server tenant create): what they give, and each error compared
// whole (message, class and so exit code, code, remediation).
import assert from "node:assert/strict";
import os from "node:os";
import { join } from "node:path";
import { ValidationError } from "../../../errors.ts";
import { parseServerStartArgs, type RawServerStartOptions } from "./start.ts";
import { parseTenantCreateArgs } from "./tenant.ts";

const ctx = { env: {}, homeDir: "/home/ann", platform: "linux" } as const;

/** The values commander gives `server start` when only --db is passed (the declared defaults). */
const start: RawServerStartOptions = {
  host: "127.0.0.1",
  port: "8000",
  db: "/srv/phyware/phyware.db",
  rateLimit: "600",
  inviteRateLimit: "60",
  tenantRateLimit: "1200",
  tenantInviteRateLimit: "120",
  authFailureLimit: "30",
  maxApiKeys: "50",
  resendCooldown: "60",
  eventRetention: "90",
};

const KEY = `phy_${"A1b2".repeat(8)}`;

Deno.test("server start: the declared defaults become these settings", () => {
  assert.deepEqual(parseServerStartArgs(start, ctx), {
    hostname: "127.0.0.1",
    port: 8000,
    dbPath: "/srv/phyware/phyware.db",
    smtpUrl: undefined,
    outboxDir: "/srv/phyware/outbox",
    publicUrl: undefined,
    rateLimit: 600,
    inviteRateLimit: 60,
    tenantRateLimit: 1200,
    tenantInviteRateLimit: 120,
    authFailureLimit: 30,
    maxApiKeys: 50,
    resendCooldownSeconds: 60,
    eventRetentionDays: 90,
    trustProxy: false,
    bootstrapApiKey: undefined,
    adminEmail: undefined,
    mailFrom: undefined,
    metrics: false,
    metricsListen: undefined,
    logFormat: "text",
  });
});

Deno.test("server start: every optional flag and PHYCLOUD_BOOTSTRAP_API_KEY", () => {
  const options = parseServerStartArgs({
    ...start,
    db: ":memory:",
    port: "0",
    smtpUrl: "smtps://user:pw@mail.example:465",
    publicUrl: "https://phy.example",
    trustProxy: true,
    adminEmail: " Root@Example.com ",
    mailFrom: "PhyCloud <no-reply@example.com>",
    metrics: true,
    metricsListen: "[::1]:9464",
    logFormat: "json",
    resendCooldown: "86400",
    eventRetention: "36500",
  }, { ...ctx, env: { PHYCLOUD_BOOTSTRAP_API_KEY: KEY } });
  assert.equal(options.port, 0);
  assert.equal(options.outboxDir, join(os.tmpdir(), "phyware-outbox"));
  assert.equal(options.smtpUrl, "smtps://user:pw@mail.example:465");
  assert.equal(options.publicUrl, "https://phy.example");
  assert.equal(options.trustProxy, true);
  assert.equal(options.adminEmail, "Root@Example.com");
  assert.equal(options.mailFrom, "PhyCloud <no-reply@example.com>");
  assert.equal(options.metrics, true);
  assert.deepEqual(options.metricsListen, { hostname: "::1", port: 9464 });
  assert.equal(options.logFormat, "json");
  assert.equal(options.bootstrapApiKey, KEY);
  assert.equal(options.resendCooldownSeconds, 86_400);
  assert.equal(options.eventRetentionDays, 36_500);
  assert.deepEqual(parseServerStartArgs({ ...start, metricsListen: "9464" }, ctx).metricsListen, {
    hostname: "127.0.0.1",
    port: 9464,
  });
  // An empty variable is no key.
  assert.equal(
    parseServerStartArgs(start, { ...ctx, env: { PHYCLOUD_BOOTSTRAP_API_KEY: "" } }).bootstrapApiKey,
    undefined,
  );
});

Deno.test("server start: --host must not be empty", () => {
  assert.throws(
    () => parseServerStartArgs({ ...start, host: " " }, ctx),
    new ValidationError('Invalid --host "": expected a host name or address'),
  );
});

Deno.test("server start: each number flag is a whole number from 0 to its largest", () => {
  const cases: [keyof RawServerStartOptions, string, string, number][] = [
    ["port", "--port", "65536", 65_535],
    ["port", "--port", "-1", 65_535],
    ["port", "--port", "80a", 65_535],
    ["port", "--port", "", 65_535],
    ["port", "--port", "12345678901", 65_535],
    ["rateLimit", "--rate-limit", "1000000001", 1_000_000_000],
    ["inviteRateLimit", "--invite-rate-limit", "1.5", 1_000_000_000],
    ["tenantRateLimit", "--tenant-rate-limit", "many", 1_000_000_000],
    ["tenantInviteRateLimit", "--tenant-invite-rate-limit", "2000000000", 1_000_000_000],
    ["authFailureLimit", "--auth-failure-limit", " 3", 1_000_000_000],
    ["maxApiKeys", "--max-api-keys", "1e3", 1_000_000_000],
    ["resendCooldown", "--resend-cooldown", "86401", 86_400],
    ["eventRetention", "--event-retention", "36501", 36_500],
  ];
  for (const [key, flag, value, max] of cases) {
    assert.throws(
      () => parseServerStartArgs({ ...start, [key]: value }, ctx),
      new ValidationError(`Invalid ${flag} ${JSON.stringify(value)}: expected an integer from 0 to ${max}`),
      `${flag} ${value}`,
    );
  }
});

Deno.test("server start: a malformed PHYCLOUD_BOOTSTRAP_API_KEY is named, never echoed", () => {
  for (const key of ["phy_short", "sk_" + "a".repeat(40), `phy_${"a".repeat(31)}`, `${KEY}!`]) {
    assert.throws(
      () => parseServerStartArgs(start, { ...ctx, env: { PHYCLOUD_BOOTSTRAP_API_KEY: key } }),
      new ValidationError(
        "Invalid PHYCLOUD_BOOTSTRAP_API_KEY: expected phy_ followed by at least 32 letters and digits",
      ),
      key,
    );
  }
});

Deno.test("server start: --smtp-url and --public-url need their schemes; credentials are never echoed", () => {
  assert.throws(
    () => parseServerStartArgs({ ...start, smtpUrl: "http://mail.example" }, ctx),
    new ValidationError('Invalid --smtp-url "http://mail.example": expected smtp:// or smtps://'),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, smtpUrl: "https://user:secret@mail.example" }, ctx),
    new ValidationError('Invalid --smtp-url "https://mail.example/": expected smtp:// or smtps://'),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, smtpUrl: "user:secret@mail.example" }, ctx),
    new ValidationError('Invalid --smtp-url "user:mail.example": expected smtp:// or smtps://'),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, smtpUrl: "mail.example:25" }, ctx),
    new ValidationError('Invalid --smtp-url "mail.example:25": expected smtp:// or smtps://'),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, smtpUrl: "not a url" }, ctx),
    new ValidationError('Invalid --smtp-url "not a url": not a URL'),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, smtpUrl: `smtp://${"m".repeat(500)}.example` }, ctx),
    new ValidationError("Invalid --smtp-url: longer than 500 characters"),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, publicUrl: "ftp://phy.example" }, ctx),
    new ValidationError('Invalid --public-url "ftp://phy.example": expected http:// or https://'),
  );
});

Deno.test("server start: a bad --admin-email, --mail-from, --metrics-listen or --log-format", () => {
  assert.throws(
    () => parseServerStartArgs({ ...start, adminEmail: "root" }, ctx),
    new ValidationError('Invalid --admin-email "root": no "@"'),
  );
  const mailFrom = (shown: string) =>
    new ValidationError(
      `Invalid --mail-from ${shown}: expected an address such as "PhyCloud <no-reply@example.com>"`,
    );
  assert.throws(() => parseServerStartArgs({ ...start, mailFrom: "PhyCloud" }, ctx), mailFrom('"PhyCloud"'));
  assert.throws(
    () => parseServerStartArgs({ ...start, mailFrom: "a@x.io\r\nBcc: b@y.io" }, ctx),
    mailFrom('"a@x.io\\r\\nBcc: b@y.io"'),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, mailFrom: `${"n".repeat(300)}@x.io` }, ctx),
    mailFrom(JSON.stringify(`${"n".repeat(300)}@x.io`)),
  );
  for (const listen of ["host:70000", "host:", ":9464", "[::1]", "a b:1", "99999"]) {
    assert.throws(
      () => parseServerStartArgs({ ...start, metricsListen: listen }, ctx),
      new ValidationError(
        `Invalid --metrics-listen ${JSON.stringify(listen)}: expected HOST:PORT, such as 127.0.0.1:9464`,
      ),
      listen,
    );
  }
  assert.throws(
    () => parseServerStartArgs({ ...start, logFormat: "xml" }, ctx),
    new ValidationError('Invalid --log-format "xml": expected "text" or "json"'),
  );
});

Deno.test("server start: the database's location, from --db or PHYCLOUD_DATABASE_URL, and its errors", () => {
  const { db: _db, ...noDb } = start;
  assert.equal(parseServerStartArgs(noDb, ctx).dbPath, "/home/ann/.local/share/phyware/phyware.db");
  assert.equal(
    parseServerStartArgs(noDb, { ...ctx, env: { PHYCLOUD_DATABASE_URL: "postgres://db.example/phy" } })
      .dbPath,
    "postgres://db.example/phy",
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, db: "" }, ctx),
    new ValidationError('Invalid --db "": expected a file path, :memory: or a postgres:// URL'),
  );
  // Only the scheme is echoed: the rest of a URL may hold a password.
  assert.throws(
    () => parseServerStartArgs({ ...start, db: "mysql://u:secret@db.example/phy" }, ctx),
    new ValidationError(
      "Invalid --db: mysql:// is not a database phyware serves; use a postgres:// (or postgresql://) URL, " +
        "or a SQLite file path",
    ),
  );
  assert.throws(
    () => parseServerStartArgs(noDb, { ...ctx, env: { PHYCLOUD_DATABASE_URL: "redis://x" } }),
    new ValidationError(
      "Invalid PHYCLOUD_DATABASE_URL: redis:// is not a database phyware serves; use a postgres:// " +
        "(or postgresql://) URL, or a SQLite file path",
    ),
  );
  assert.throws(
    () => parseServerStartArgs(noDb, { env: {}, homeDir: undefined, platform: "linux" }),
    new ValidationError("Cannot find a data directory for the database: pass --db PATH", {
      remediation: "Pass --db PATH, or set HOME",
    }),
  );
  assert.throws(
    () => parseServerStartArgs({ ...start, outbox: "" }, ctx),
    new ValidationError('Invalid --outbox "": expected a directory path'),
  );
});

Deno.test("server tenant create: NAME, the database, the admin's address and the output", () => {
  assert.deepEqual(parseTenantCreateArgs("acme-eu", { output: "text" }, ctx), {
    name: "acme-eu",
    dbPath: "/home/ann/.local/share/phyware/phyware.db",
    adminEmail: "admin@acme-eu.invalid",
    output: "text",
  });
  assert.deepEqual(
    parseTenantCreateArgs("a", { db: "/srv/p.db", adminEmail: "ops@acme.example", output: "json" }, ctx),
    { name: "a", dbPath: "/srv/p.db", adminEmail: "ops@acme.example", output: "json" },
  );
  assert.equal(parseTenantCreateArgs("x".repeat(63), { output: "text" }, ctx).name, "x".repeat(63));
});

Deno.test("server tenant create: a bad NAME, --admin-email or --db", () => {
  for (const name of ["", "Acme", "-acme", "acme-", "a_b", "a.b", "x".repeat(64), "acme\n"]) {
    assert.throws(
      () => parseTenantCreateArgs(name, { output: "text" }, ctx),
      new ValidationError(
        `Invalid tenant name ${
          JSON.stringify(name)
        }: use 1 to 63 lowercase letters, digits and inner hyphens`,
      ),
      JSON.stringify(name),
    );
  }
  assert.throws(
    () => parseTenantCreateArgs("acme", { adminEmail: "ops", output: "text" }, ctx),
    new ValidationError('Invalid --admin-email "ops": no "@"'),
  );
  assert.throws(
    () => parseTenantCreateArgs("acme", { db: "", output: "text" }, ctx),
    new ValidationError('Invalid --db "": expected a file path, :memory: or a postgres:// URL'),
  );
});
