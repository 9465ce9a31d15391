// `phyware api-keys` against the real server on loopback: the key printed once, listing, revocation with the
// confirmation rules of `users deactivate`, exit codes and errors as the users verbs give them, DB state.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DEFAULT_LIMITS } from "../support/default_limits.ts";
import { hashSecret } from "../../src/server/ids.ts";
import { runCli } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { startTestServer } from "../support/server.ts";
import { startTmux } from "../support/tmux.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

function row(dbPath: string, sql: string, ...params: string[]): Record<string, unknown> | undefined {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const found = db.prepare(sql).get(...params);
    return found && { ...found };
  } finally {
    db.close();
  }
}

Deno.test("create prints the key once on stdout, and the key works; only its hash is stored", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const json = await runCli(
    ["api-keys", "create", "--name", "ci", "--scope", "admin:users", "--expires-in", "90d", "-o", "json"],
    { env },
  );
  assert.deepEqual([json.code, json.stderr], [0, ""]);
  const created = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(created), ["id", "name", "scopes", "expires_at", "key"]);
  assert.match(created.id, /^key_\w{22}$/);
  assert.deepEqual([created.name, created.scopes], ["ci", "admin:users"]);
  assert.match(created.key, /^phy_[0-9A-Za-z]{43}$/);
  const days = (new Date(created.expires_at).getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 89.99 && days <= 90, `expires in ${days} days`);
  const works = await runCli(["users", "list", "-o", "id"], {
    env: { ...env, PHYCLOUD_API_KEY: created.key },
  });
  assert.equal(works.code, 0, works.stderr);
  const stored = row(server.dbPath, "SELECT key_hash, name FROM api_keys WHERE id = ?", created.id);
  assert.deepEqual(stored, { key_hash: hashSecret(created.key), name: "ci" });
  const event = row(
    server.dbPath,
    "SELECT * FROM events WHERE action = 'api_key.created' AND target = ?",
    created.id,
  );
  assert.ok(event);
  assert.ok(
    !JSON.stringify(event).includes(created.key) && !JSON.stringify(event).includes(hashSecret(created.key)),
  );

  // The table is key/value lines, the key last; on a terminal stderr says to save it now.
  const table = await runCli(["api-keys", "create", "--name", "laptop"], {
    env: { ...env, NO_COLOR: "1" },
    terminal: true,
  });
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split("\n");
  assert.deepEqual(lines.map((l) => l.split(/:\s+/)[0]), ["id", "name", "scopes", "expires_at", "key", ""]);
  assert.match(table.stdout, /^scopes:\s+\n/m);
  assert.match(table.stdout, /^expires_at:\s+-$/m);
  const id = /^id:\s+(key_\w+)$/m.exec(table.stdout)?.[1];
  assert.equal(
    table.stderr,
    `Created API key laptop (${id}); save the key now: it is not shown again\n`,
  );
});

Deno.test("create: bad flags exit 4, a scope the caller lacks exits 2, as the users verbs do", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const member = await server.createKey([]);
  const cases: Array<[string, string[], Record<string, string>, number, string]> = [
    ["no --name", ["api-keys", "create"], env, 4, 'error: Required option "--name <name>" not specified\n'],
    [
      "-o id would lose the key",
      ["api-keys", "create", "--name", "x", "-o", "id"],
      env,
      4,
      'error: Invalid --output "id" for api-keys create: it would not print the key - Use -o table, json, ' +
      "ndjson, yaml or csv; the key is shown only once\n",
    ],
    [
      "a span without a unit",
      ["api-keys", "create", "--name", "x", "--expires-in", "90"],
      env,
      4,
      'error: Invalid --expires-in "90": expected a whole number of minutes, hours, days or weeks, such as ' +
      "30m, 1h, 90d or 2w\n",
    ],
    [
      "an unknown field",
      ["api-keys", "create", "--name", "x", "--fields", "id,secret"],
      env,
      4,
      'error: Invalid --fields "id,secret": unknown field "secret" - Valid fields: id, name, scopes, status, ' +
      "expires_at, last_used_at, user_id, created_at, revoked_at, key\n",
    ],
  ];
  for (const [name, argv, e, code, stderr] of cases) {
    await t.step(name, async () => {
      const r = await runCli(argv, { env: e });
      assert.deepEqual([r.code, r.stdout, r.stderr], [code, "", stderr]);
    });
  }
  await t.step("a member asking for admin:users", async () => {
    const r = await runCli(["api-keys", "create", "--name", "x", "--scope", "admin:users"], {
      env: { ...env, PHYCLOUD_API_KEY: member },
    });
    assert.deepEqual([r.code, r.stdout], [2, ""]);
    assert.match(r.stderr, /^error: Insufficient scope - Ensure admin:users \(request id: req_\w+\)\n$/);
  });
  await t.step("an unknown scope is the server's 400: exit 4", async () => {
    const r = await runCli(["api-keys", "create", "--name", "x", "--scope", "root"], { env });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^error: Invalid "scopes": unknown scope "root"; known: "admin:users"/);
  });
});

Deno.test("list: the tenant's keys for an admin, in every output format, never a secret", async () => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const ci = JSON.parse((await runCli(["api-keys", "create", "--name", "ci", "-o", "json"], { env })).stdout);
  const csv = await runCli(["api-keys", "list", "-o", "csv", "--fields", "name,scopes,status,revoked_at"], {
    env,
  });
  assert.deepEqual([csv.code, csv.stderr], [0, ""]);
  assert.equal(csv.stdout, "name,scopes,status,revoked_at\r\nadmin,admin:users,active,\r\nci,,active,\r\n");
  const json = await runCli(["api-keys", "list", "-o", "json"], { env });
  const keys = JSON.parse(json.stdout);
  assert.deepEqual(keys.map((k: { name: string }) => k.name), ["admin", "ci"]);
  assert.deepEqual(Object.keys(keys[0]), ["id", "name", "scopes", "status", "expires_at", "last_used_at"]);
  assert.ok(!json.stdout.includes(ci.key) && !json.stdout.includes(server.apiKey));
  const ids = await runCli(["api-keys", "list", "-o", "id", "--limit", "1"], { env });
  assert.equal(ids.stdout, `${keys[0].id}\n`);
  const table = await runCli(["api-keys", "list"], { env });
  assert.match(table.stdout, /^ID {2,}NAME {2,}SCOPES {2,}STATUS {2,}EXPIRES_AT {2,}LAST_USED_AT\n/);
  assert.match(table.stdout, /\nkey_\w+ {2,}ci {2,}active {2,}- {2,}-\n$/);
});

Deno.test("revoke: no prompt off a terminal; the key is refused at once; again changes nothing", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const ci = JSON.parse(
    (await runCli(["api-keys", "create", "--name", "ci", "--scope", "admin:users", "-o", "json"], { env }))
      .stdout,
  );
  const asCi = { ...env, PHYCLOUD_API_KEY: ci.key };
  assert.equal((await runCli(["users", "list", "-o", "id"], { env: asCi })).code, 0);
  const r = await runCli(["api-keys", "revoke", ci.id, "-o", "csv", "--fields", "id,name,status"], { env });
  assert.deepEqual([r.code, r.stderr, r.prompts], [0, "", []]);
  assert.equal(r.stdout, `id,name,status\r\n${ci.id},ci,revoked\r\n`);
  const refused = await runCli(["users", "list"], { env: asCi });
  assert.deepEqual([refused.code, refused.stdout], [2, ""]);
  assert.match(
    refused.stderr,
    /^error: Invalid, expired or revoked credentials - Set PHYCLOUD_API_KEY to a valid key; this one may be revoked/,
  );
  const again = await runCli(["api-keys", "revoke", ci.id, "-o", "id"], { env });
  assert.deepEqual([again.code, again.stdout], [0, `${ci.id}\n`]);
  assert.equal(again.stderr, `API key ci (${ci.id}) is already revoked; nothing to do\n`);
  const revokedAt = row(server.dbPath, "SELECT revoked_at FROM api_keys WHERE id = ?", ci.id)?.revoked_at;
  assert.equal(typeof revokedAt, "string");
});

Deno.test("revoke asks on a terminal as deactivate does: no or end of input cancels with exit 1", async () => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const ci = JSON.parse((await runCli(["api-keys", "create", "--name", "ci", "-o", "json"], { env })).stdout);
  for (const answer of ["n", null]) {
    const r = await runCli(["api-keys", "revoke", ci.id], { env, terminal: true, answers: [answer] });
    assert.equal(r.code, 1);
    assert.deepEqual(r.prompts, [
      `Revoke API key ci (${ci.id})? Every program using it is refused from its next request, and this cannot ` +
      "be undone. [y/N] ",
    ]);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `${answer === null ? "\n" : ""}error: Cancelled: API key ci (${ci.id}) was not revoked\n`,
    );
  }
  assert.equal(row(server.dbPath, "SELECT revoked_at FROM api_keys WHERE id = ?", ci.id)?.revoked_at, null);
  const yes = await runCli(["api-keys", "revoke", ci.id, "-o", "id"], {
    env,
    terminal: true,
    answers: ["y"],
  });
  assert.deepEqual([yes.code, yes.stdout], [0, `${ci.id}\n`]);
  assert.equal(yes.stderr, `Revoked API key ci (${ci.id})\n`);
  const skipped = await runCli(["api-keys", "create", "--name", "other", "-o", "json"], { env });
  const other = JSON.parse(skipped.stdout);
  const withYes = await runCli(["api-keys", "revoke", other.id, "--yes"], { env, terminal: true });
  assert.deepEqual([withYes.code, withYes.prompts], [0, []]);
});

Deno.test("revoke errors: unknown key exits 3, the last admin key exits 4, a bad KEY_ID exits 4", async () => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const missing = await runCli(["api-keys", "revoke", "key_0000000000000000000000"], { env });
  assert.deepEqual([missing.code, missing.stdout], [3, ""]);
  assert.match(
    missing.stderr,
    /^error: API key not found - Check KEY_ID \(phyware api-keys list\) \(request id: req_\w+\)\n$/,
  );
  const own = JSON.parse((await runCli(["api-keys", "list", "-o", "json"], { env })).stdout)[0].id;
  const last = await runCli(["api-keys", "revoke", own, "--yes", "-o", "json"], { env });
  assert.equal(last.code, 4);
  const [line, json] = last.stderr.split("\n");
  assert.match(line ?? "", /^error: Cannot revoke the tenant's last live admin:users API key/);
  const error = JSON.parse(json ?? "").error;
  assert.deepEqual(error, {
    code: "CONFLICT",
    message: "Cannot revoke the tenant's last live admin:users API key: create another one first",
    remediation: "Create another first: phyware api-keys create --name NAME --scope admin:users",
    status: 409,
    request_id: error.request_id,
  });
  assert.match(error.request_id, /^req_/);
  const bad = await runCli(["api-keys", "revoke", "../users"], { env });
  assert.deepEqual([bad.code, bad.stderr], [
    4,
    'error: Invalid KEY_ID "../users": expected an identifier such as key_abc123 - List the keys with phyware ' +
    "api-keys list\n",
  ]);
});

Deno.test("an expired key: exit 2, and the error says it expired and what to do", async () => {
  let offset = 0;
  await using server = await startTestServer({ now: () => new Date(Date.now() + offset) });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const soon = JSON.parse(
    (await runCli(["api-keys", "create", "--name", "soon", "--expires-in", "1h", "-o", "json"], { env }))
      .stdout,
  );
  offset = 2 * 60 * 60 * 1000;
  const r = await runCli(["api-keys", "list"], { env: { ...env, PHYCLOUD_API_KEY: soon.key } });
  assert.deepEqual([r.code, r.stdout], [2, ""]);
  assert.equal(
    r.stderr.replace(/ \(request id: req_\w+\)/, ""),
    `error: API key expired at ${soon.expires_at}: ask an admin for a new key (phyware api-keys create) - ` +
      "Set PHYCLOUD_API_KEY to a key that has not expired (an admin makes one with phyware api-keys " +
      "create --name NAME)\n",
  );
});

Deno.test(
  "in a real terminal (tmux), revoke shows the prompt and waits for the answer",
  needs(["tmux", "tmux"]),
  async () => {
    await using server = await startTestServer(DEFAULT_LIMITS);
    await using terminal = await startTmux();
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    const ci = JSON.parse(
      (await runCli(["api-keys", "create", "--name", "ci", "-o", "json"], { env })).stdout,
    );
    await terminal.type(
      `PHYCLOUD_URL=${server.url} PHYCLOUD_API_KEY=${server.apiKey} NO_COLOR=1 ` +
        `"${Deno.execPath()}" run -A --quiet "${main}" api-keys revoke ${ci.id}; echo "exit=$?"`,
    );
    await terminal.waitFor(/Revoke API key ci \(key_\w+\)\? .*\[y\/N\]/);
    assert.equal(row(server.dbPath, "SELECT revoked_at FROM api_keys WHERE id = ?", ci.id)?.revoked_at, null);
    await terminal.keys("y", "Enter");
    const text = await terminal.waitFor(/exit=\d+/);
    assert.match(text, /Revoked API key ci/);
    assert.match(text, /exit=0/);
    assert.equal(
      typeof row(server.dbPath, "SELECT revoked_at FROM api_keys WHERE id = ?", ci.id)?.revoked_at,
      "string",
    );
  },
);
