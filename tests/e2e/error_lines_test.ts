// Error lines a person meets with odd input, against the real server: they name the flag (not the server's
// field), stay short (typed values cut at 80 characters), show bidi controls escaped, and say what is wrong.
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

Deno.test("odd input gets a short, exact error line naming the flag, before any request (exit 4)", async (t) => {
  const lines: string[] = [];
  await using server = await startTestServer({ log: (line) => lines.push(line) });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const refused = async (argv: string[], stderr: string | RegExp) => {
    const r = await runCli(argv, { env });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, "");
    if (typeof stderr === "string") assert.equal(r.stderr, stderr);
    else assert.match(r.stderr, stderr);
    return r;
  };
  await t.step("--limit too large for a whole number is said to be too large", async () => {
    await refused(
      ["users", "list", "--limit", "99999999999999999999"],
      'error: Invalid --limit "99999999999999999999": too large, at most 9007199254740991 (leave it out for all)\n',
    );
  });
  await t.step("a 100,000-character email is echoed cut at 80 characters", async () => {
    const r = await refused(
      ["users", "invite", "--email", `${"a".repeat(100_000)}@example.com`],
      new RegExp(`^error: Invalid --email "${"a".repeat(80)}"\\.\\.\\.: .+\\n$`),
    );
    assert.ok(r.stderr.length < 300, `${r.stderr.length} bytes`);
  });
  await t.step("a bidi control in a typed value is escaped as \\u202e, as ESC is as \\u001b", async () => {
    const r = await refused(
      ["users", "invite", "--email", "rtl\u202e\u001b@example.com"],
      /^error: Invalid --email /,
    );
    assert.ok(!r.stderr.includes("\u202e") && !r.stderr.includes("\u001b"), r.stderr);
    assert.ok(r.stderr.includes('"rtl\\u202e\\u001b@example.com"'), r.stderr);
  });
  await t.step("--role is checked by the CLI and named as the flag", async () => {
    for (const verb of [["users", "invite", "--email", "r@example.com"], ["users", "list"]]) {
      await refused(
        [...verb, "--role", "root"],
        'error: Invalid --role "root": expected one of "admin", "member"\n',
      );
    }
    await refused(
      ["users", "set-role", "usr_abc123", "--role", "root"],
      'error: Invalid --role "root": expected one of "admin", "member"\n',
    );
  });
  await t.step("--search too long is checked by the CLI and named as the flag", async () => {
    await refused(
      ["users", "list", "--search", "s".repeat(300)],
      `error: Invalid --search "${"s".repeat(80)}"...: expected 2 to 254 characters\n`,
    );
  });
  assert.deepEqual(lines, [], "nothing was sent");
  await t.step("a role typed in capitals still means the role", async () => {
    const r = await runCli(
      ["users", "invite", "--email", "cap@example.com", "--role", "Admin", "-o", "json"],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).role, "admin");
  });
});

Deno.test("whoami -o csv prints data in its cells, not the sentences of the table", async () => {
  await using server = await startTestServer();
  const r = await runCli(["whoami", "-o", "csv"], {
    env: {
      PHYCLOUD_URL: server.url,
      PHYCLOUD_API_KEY: server.apiKey,
      PHYCLOUD_CONFIG_DIR: "/nonexistent-phyware",
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const [header, row, end] = r.stdout.split("\r\n");
  assert.equal(
    header,
    "url,url_source,tenant_id,tenant_name,user_id,user_email,user_role,user_status,credential_type,credential_id," +
      "credential_name,scopes,api_key_source,profile,profile_reason",
  );
  assert.match(
    row ?? "",
    new RegExp(
      `^${server.url},env,ten_\\w+,default,usr_\\w+,[^,]+,admin,active,api_key,key_\\w+,[^,]*,[^,]+,env,`,
    ),
  );
  assert.ok(!(row ?? "").includes("("), row ?? "");
  assert.equal(end, "");
});
