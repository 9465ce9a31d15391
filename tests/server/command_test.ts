import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { run } from "../../src/cli/mod.ts";
import { dataDir, resolveOutboxDir } from "../../src/cli/commands/server/paths.ts";
import { type BufferWriter, testContext, testHost } from "../support/context.ts";
import { delay } from "../../src/runtime/delay.ts";
import { tempDir } from "../support/temp_dir.ts";

const KEY_LINE =
  /^phyware server created tenant "default"; its admin API key \(shown once, keep it\): (phy_\w+)$/;
const LOG_LINE =
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (GET|POST) (\S+) (\d{3}) \d+\.\dms req_[0-9A-Za-z]{22}$/;

interface Started {
  url: string;
  stderr: BufferWriter;
  lines(): string[];
  stop(): Promise<number>;
}

async function startCli(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const { ctx, stderr } = testContext({ env });
  const shutdown = new AbortController();
  const host = { ...testHost, shutdownSignal: () => shutdown.signal };
  const done = run(["server", "start", "--port", "0", ...args], ctx, host);
  let first = "";
  for (let i = 0; i < 500 && !first.endsWith("\n"); i++) {
    const settled = await Promise.race([done.then((code) => code), delay(10)]);
    if (typeof settled === "number") throw new Error(`server start exited with ${settled}: ${stderr.text}`);
    first = stderr.text.split("\n")[0] + (stderr.text.includes("\n") ? "\n" : "");
  }
  const match = /^phyware server listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(first);
  assert.ok(match, `first line: ${JSON.stringify(stderr.text)}`);
  return {
    url: match[1]!,
    stderr,
    lines: () => stderr.text.split("\n").filter((l) => l !== ""),
    stop() {
      shutdown.abort();
      return done;
    },
  };
}

Deno.test("server start prints the listening line, then the key once, then one line per request", async () => {
  await using dir = await tempDir();
  const db = join(dir.path, "phyware.db");
  const server = await startCli(["--db", db]);
  const key = KEY_LINE.exec(server.lines()[1] ?? "")?.[1];
  assert.ok(key, server.stderr.text);
  const secretCursor = "phs_thisMustNeverBeLogged";
  const r = await fetch(`${server.url}/v1/users?limit=5&cursor=${secretCursor}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  await r.body?.cancel();
  const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 200);
  await me.body?.cancel();
  assert.equal(await server.stop(), 0);
  const lines = server.lines();
  assert.equal(lines.length, 4, server.stderr.text);
  const log = LOG_LINE.exec(lines[2]!);
  assert.ok(log, lines[2]!);
  assert.deepEqual([log[1], log[2], log[3]], ["GET", "/v1/users", "400"]);
  assert.ok(lines[2]!.endsWith(r.headers.get("x-request-id")!));
  assert.ok(!server.stderr.text.includes(secretCursor), "no query string in the log");
  assert.match(lines[3]!, / GET \/v1\/me 200 /);

  const again = await startCli(["--db", db]);
  const still = await fetch(`${again.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(still.status, 200, "the first key still works");
  await still.body?.cancel();
  assert.equal(await again.stop(), 0);
  assert.equal(again.lines().length, 2, "a later start prints no key");
  assert.ok(!again.stderr.text.includes("phy_"));
});

Deno.test("PHYCLOUD_BOOTSTRAP_API_KEY becomes the key and is never printed", async () => {
  const key = `phy_${"K".repeat(40)}`;
  const server = await startCli(["--db", ":memory:", "--outbox", "/nonexistent"], {
    PHYCLOUD_BOOTSTRAP_API_KEY: key,
  });
  try {
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(me.status, 200);
    await me.body?.cancel();
  } finally {
    assert.equal(await server.stop(), 0);
  }
  assert.ok(!server.stderr.text.includes(key));
  assert.ok(!server.stderr.text.includes("API key"));
});

Deno.test("PHYCLOUD_BOOTSTRAP_API_KEY on an initialised database is not applied, and says so once", async () => {
  await using dir = await tempDir();
  const db = join(dir.path, "phyware.db");
  const first = await startCli(["--db", db]);
  const generated = KEY_LINE.exec(first.lines()[1] ?? "")?.[1];
  assert.ok(generated, first.stderr.text);
  assert.equal(await first.stop(), 0);
  assert.ok(!first.stderr.text.includes("PHYCLOUD_BOOTSTRAP_API_KEY"));

  const key = `phy_${"Z".repeat(40)}`;
  const again = await startCli(["--db", db], { PHYCLOUD_BOOTSTRAP_API_KEY: key });
  try {
    const refused = await fetch(`${again.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    const kept = await fetch(`${again.url}/v1/me`, { headers: { authorization: `Bearer ${generated}` } });
    assert.equal(kept.status, 200);
    await kept.body?.cancel();
  } finally {
    assert.equal(await again.stop(), 0);
  }
  const notices = again.lines().filter((l) => l.includes("PHYCLOUD_BOOTSTRAP_API_KEY"));
  assert.deepEqual(notices, [
    "phyware server did not apply PHYCLOUD_BOOTSTRAP_API_KEY: the database is already initialised " +
    "(keys are set only on the first start)",
  ]);
  assert.equal(again.lines()[1], notices[0], "right after the listening line");
  assert.ok(!again.stderr.text.includes(key), "the value is never printed");
});

Deno.test("server start rejects bad options with exit code 4", async (t) => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    [
      "port too big",
      ["--port", "70000"],
      {},
      /^error: Invalid --port "70000": expected an integer from 0 to 65535/,
    ],
    ["port not a number", ["--port", "http"], {}, /Invalid --port "http"/],
    ["negative rate limit", ["--rate-limit", "-1"], {}, /Invalid --rate-limit "-1"/],
    ["bad invite rate limit", ["--invite-rate-limit", "x"], {}, /Invalid --invite-rate-limit "x"/],
    [
      "smtp url of another scheme",
      ["--smtp-url", "http://mail"],
      {},
      /Invalid --smtp-url "http:\/\/mail": expected smtp:/,
    ],
    ["smtp url not a URL", ["--smtp-url", "mail:25"], {}, /Invalid --smtp-url/],
    ["public url of another scheme", ["--public-url", "ftp://x"], {}, /Invalid --public-url/],
    ["empty host", ["--host", ""], {}, /Invalid --host ""/],
    ["bad admin email", ["--admin-email", "nope"], {}, /Invalid --admin-email/],
    ["mail from with a newline", ["--mail-from", "a@b.c\nBcc: x@y.z"], {}, /Invalid --mail-from/],
    ["mail from without an address", ["--mail-from", "PhyCloud"], {}, /Invalid --mail-from "PhyCloud"/],
    ["overlong public url", ["--public-url", `https://x.test/${"p".repeat(500)}`], {}, /longer than 500/],
    [
      "metrics address without a port",
      ["--metrics-listen", "localhost"],
      {},
      /^error: Invalid --metrics-listen "localhost": expected HOST:PORT, such as 127\.0\.0\.1:9464\n/,
    ],
    ["metrics port too big", ["--metrics-listen", "127.0.0.1:65536"], {}, /Invalid --metrics-listen/],
    [
      "unknown log format",
      ["--log-format", "yaml"],
      {},
      /^error: Invalid --log-format "yaml": expected one of text, json/,
    ],
    [
      "short bootstrap key",
      [],
      { PHYCLOUD_BOOTSTRAP_API_KEY: "phy_short" },
      /Invalid PHYCLOUD_BOOTSTRAP_API_KEY/,
    ],
  ];
  for (const [name, args, env, message] of cases) {
    await t.step(name, async () => {
      const { ctx, stderr } = testContext({ env });
      const code = await run(["server", "start", "--db", ":memory:", ...args], ctx, testHost);
      assert.equal(code, 4, stderr.text);
      assert.match(stderr.text, message);
      assert.ok(!stderr.text.includes("phy_short"), "the bootstrap key is never echoed");
    });
  }
});

Deno.test("a bad --smtp-url or --public-url is quoted without its user name and password", async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [
      ["--smtp-url", "http://user:S3cretPass@mail.example"],
      /^error: Invalid --smtp-url "http:\/\/mail\.example\/": expected smtp:/,
    ],
    [
      ["--smtp-url", "ftp://S3cretPass@mail.example:2121"],
      /^error: Invalid --smtp-url "ftp:\/\/mail\.example:2121\/"/,
    ],
    [
      ["--smtp-url", "smtp://user:S3cretPass@mail example"],
      /^error: Invalid --smtp-url "smtp:\/\/mail example": not a URL/,
    ],
    [["--smtp-url", "user:S3cretPass@mail"], /^error: Invalid --smtp-url "user:mail": expected smtp:/],
    [["--public-url", "ftp://admin:S3cretPass@x.test/"], /^error: Invalid --public-url "ftp:\/\/x\.test\/"/],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      const { ctx, stderr } = testContext();
      const code = await run(["server", "start", "--db", ":memory:", ...args], ctx, testHost);
      assert.equal(code, 4, stderr.text);
      assert.match(stderr.text, message);
      assert.ok(!stderr.text.includes("S3cretPass"), stderr.text);
    });
  }
});

Deno.test("server start on a port in use fails with exit code 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { ctx, stderr } = testContext();
    const port = String((listener.addr as Deno.NetAddr).port);
    const code = await run(
      ["server", "start", "--db", ":memory:", "--outbox", "/x", "--port", port],
      ctx,
      testHost,
    );
    assert.equal(code, 1, stderr.text);
    assert.match(stderr.text, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}`));
  } finally {
    listener.close();
  }
});

Deno.test("server tenant create makes a tenant whose key works, once per name", async () => {
  await using dir = await tempDir();
  const db = join(dir.path, "phyware.db");
  const text = testContext();
  assert.equal(
    await run(["server", "tenant", "create", "acme", "--db", db], text.ctx, testHost),
    0,
    text.stderr.text,
  );
  const [line1, line2] = text.stdout.text.trimEnd().split("\n");
  assert.match(line1!, /^Created tenant "acme" \(ten_[0-9A-Za-z]{22}\) with admin admin@acme\.invalid$/);
  const key = /^API key \(shown once, keep it\): (phy_[0-9A-Za-z]{43})$/.exec(line2!)?.[1];
  assert.ok(key);

  const json = testContext();
  const code = await run(
    [
      "server",
      "tenant",
      "create",
      "globex",
      "--db",
      db,
      "--output",
      "json",
      "--admin-email",
      "boss@globex.test",
    ],
    json.ctx,
    testHost,
  );
  assert.equal(code, 0, json.stderr.text);
  const doc = JSON.parse(json.stdout.text);
  assert.deepEqual(Object.keys(doc), ["tenant", "api_key"]);
  assert.deepEqual(Object.keys(doc.tenant), ["id", "name", "created_at"]);
  assert.equal(doc.tenant.name, "globex");
  assert.match(doc.api_key, /^phy_/);

  const dup = testContext();
  assert.equal(await run(["server", "tenant", "create", "acme", "--db", db], dup.ctx, testHost), 4);
  assert.match(dup.stderr.text, /Tenant "acme" already exists/);

  const server = await startCli(["--db", db]);
  try {
    assert.match(
      server.lines()[1] ?? "",
      KEY_LINE,
      "the default tenant is still bootstrapped on the first start",
    );
    const me =
      await (await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${doc.api_key}` } }))
        .json();
    assert.equal(me.tenant.name, "globex");
    assert.equal(me.user.email, "boss@globex.test");
    assert.deepEqual(me.scopes, ["admin:users"]);
    const acme = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(acme.status, 200);
    await acme.body?.cancel();
  } finally {
    await server.stop();
  }
});

Deno.test("server tenant create rejects bad names and options with exit code 4", async (t) => {
  for (const args of [["Acme"], ["-acme"], ["a_b"], ["x".repeat(64)], ["ok", "--output", "yaml"]]) {
    await t.step(args.join(" "), async () => {
      const { ctx, stderr } = testContext();
      assert.equal(
        await run(["server", "tenant", "create", ...args, "--db", ":memory:"], ctx, testHost),
        4,
        stderr.text,
      );
    });
  }
});

Deno.test("the database defaults to the user's data directory", async (t) => {
  await t.step("linux uses XDG_DATA_HOME, else ~/.local/share", () => {
    assert.equal(dataDir({ env: { XDG_DATA_HOME: "/x" }, homeDir: "/h", platform: "linux" }), "/x/phyware");
    assert.equal(dataDir({ env: {}, homeDir: "/h", platform: "linux" }), "/h/.local/share/phyware");
  });
  await t.step("macOS uses Application Support", () => {
    assert.equal(
      dataDir({ env: {}, homeDir: "/h", platform: "darwin" }),
      "/h/Library/Application Support/phyware",
    );
  });
  await t.step("windows uses LOCALAPPDATA", () => {
    assert.equal(
      dataDir({ env: { LOCALAPPDATA: "C" }, homeDir: "/h", platform: "win32" }),
      join("C", "phyware"),
    );
  });
  await t.step("no home and no variable is a validation error", () => {
    assert.throws(() => dataDir({ env: {}, homeDir: undefined, platform: "linux" }), /pass --db PATH/);
  });
  await t.step("the outbox sits beside the database", () => {
    assert.equal(resolveOutboxDir(undefined, "/d/phyware.db"), "/d/outbox");
    assert.match(resolveOutboxDir(undefined, ":memory:"), /phyware-outbox$/);
  });
  await t.step("tenant create writes there", async () => {
    await using dir = await tempDir();
    const { ctx } = testContext({ env: { XDG_DATA_HOME: dir.path } });
    assert.equal(await run(["server", "tenant", "create", "acme"], ctx, testHost), 0);
    assert.ok(Deno.statSync(join(dir.path, "phyware", "phyware.db")).isFile);
  });
});

Deno.test("a file that is not a phyware database is refused with exit code 1", async (t) => {
  await using dir = await tempDir();
  const junk = join(dir.path, "junk.db");
  await Deno.writeTextFile(
    junk,
    "this is not sqlite, just some text that is long enough to have a header ".repeat(20),
  );
  const newer = join(dir.path, "newer.db");
  const db = new DatabaseSync(newer);
  db.exec("PRAGMA user_version = 99");
  db.close();
  for (
    const [name, path, message, remediation] of [
      ["junk", junk, /not a database/, / - Restore the file from a backup, or pass --db with a new path/],
      ["newer", newer, /schema version 99/, / - Upgrade phyware to the version that wrote it/],
    ]
  ) {
    await t.step(`${name}: server start`, async () => {
      const { ctx, stderr } = testContext();
      const code = await run(["server", "start", "--port", "0", "--db", path as string], ctx, testHost);
      assert.equal(code, 1, stderr.text);
      assert.match(stderr.text, /Cannot open database/);
      assert.match(stderr.text, message as RegExp);
      assert.match(stderr.text, remediation as RegExp);
    });
    await t.step(`${name}: tenant create`, async () => {
      const { ctx, stderr } = testContext();
      assert.equal(
        await run(["server", "tenant", "create", "acme", "--db", path as string], ctx, testHost),
        1,
      );
      assert.match(stderr.text, /Cannot open database/);
      assert.match(stderr.text, remediation as RegExp);
    });
  }
});
