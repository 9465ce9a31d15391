// End-to-end: every exit code of the spec, with the real server (and a faulty proxy only where the real
// server cannot produce the failure).
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { closedPortUrl, startDroppingListener, startFaultyProxy } from "../support/faulty_proxy.ts";

function lastJson(stderr: string): { error: Record<string, unknown> } {
  return JSON.parse(stderr.trimEnd().split("\n").at(-1) ?? "");
}

Deno.test("exit codes and messages follow the spec's tables", async (t) => {
  await using server = await startTestServer();
  const memberKey = await server.createKey([]);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (argv: string[], extraEnv: Record<string, string> = {}) =>
    runCli(argv, { env: { ...env, ...extraEnv } });
  const alice = JSON.parse(
    (await cli(["users", "invite", "--email", "alice@example.com", "-o", "json"])).stdout,
  );

  await t.step("1: connection refused", async () => {
    const url = closedPortUrl();
    const r = await cli(["users", "list"], { PHYCLOUD_URL: url });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `error: Cannot reach ${url}: connection refused - Check PHYCLOUD_URL and that the server is running\n`,
    );
    // The remediation names where the URL came from: the flag, a profile, or nothing (the default).
    const flag = await cli(["users", "list", "--url", url], {});
    assert.match(flag.stderr, / - Check --url and that the server is running\n$/);
  });

  await t.step("1: the server drops the connection", async () => {
    using dropping = startDroppingListener();
    const r = await cli(["users", "get", alice.id], { PHYCLOUD_URL: dropping.url });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: Cannot reach http:\/\/127\.0\.0\.1:\d+: connection closed by the server - /,
    );
  });

  await t.step("2: a member's key without admin:users", async () => {
    for (const argv of [["users", "list"], ["users", "get", alice.id], ["users", "get", "usr_nope"]]) {
      const r = await cli([...argv, "-o", "json"], { PHYCLOUD_API_KEY: memberKey });
      assert.equal(r.code, 2, argv.join(" "));
      assert.equal(r.stdout, "");
      const [line] = r.stderr.split("\n");
      assert.match(line ?? "", /^error: Insufficient scope - Ensure admin:users \(request id: req_\w+\)$/);
      const { error } = lastJson(r.stderr);
      assert.equal(error.code, "FORBIDDEN");
      assert.equal(error.message, "Insufficient scope");
      assert.equal(error.remediation, "Ensure admin:users");
      assert.equal(error.status, 403);
      assert.match(String(error.request_id), /^req_/);
    }
  });

  await t.step("2: an unknown key", async () => {
    const r = await cli(["users", "list"], { PHYCLOUD_API_KEY: "phy_" + "x".repeat(43) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .+ - Set PHYCLOUD_API_KEY to a valid key; this one may be revoked/);
    const flag = await cli(["users", "list", "--api-key", "phy_" + "x".repeat(43)], {});
    assert.match(flag.stderr, /^error: .+ - Pass a valid key with --api-key; this one may be revoked/);
    assert.doesNotMatch(r.stderr, /xxxxxxxx/);
  });

  await t.step("3: an unknown id", async () => {
    const r = await cli(["users", "get", "usr_doesnotexist"]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^error: User not found - Check USER_ID \(request id: req_\w+\)\n$/);
    const d = await cli(["users", "deactivate", "usr_doesnotexist"]);
    assert.equal(d.code, 3);
  });

  await t.step(
    "4: an address the email rule refuses, before any request, in the server's words",
    async () => {
      const local = "a".repeat(65);
      const r = await cli(["users", "invite", "--email", `${local}@example.com`]);
      assert.equal(r.code, 4);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: Invalid --email "${local}@example.com": local part longer than 64 characters\n`,
      );
    },
  );

  await t.step("4: a role the server rejects", async () => {
    const role = await cli([
      "users",
      "invite",
      "--email",
      "x@example.com",
      "--role",
      "overlord",
      "-o",
      "json",
    ]);
    assert.equal(role.code, 4);
    assert.equal(role.stdout, "");
    // Checked by the CLI against the contract's roles, naming the flag; nothing is sent.
    assert.equal(lastJson(role.stderr).error.status, null);
    assert.match(role.stderr, /^error: Invalid --role "overlord": expected one of "admin", "member"\n/);
  });

  await t.step("4: a duplicate email, CONFLICT with the spec's remediation", async () => {
    const r = await cli(["users", "invite", "--email", "ALICE@example.com", "-o", "json"]);
    assert.equal(r.code, 4);
    assert.equal(r.stdout, "");
    const [line] = r.stderr.split("\n");
    assert.match(
      line ?? "",
      /^error: Email already exists - User already invited \(request id: req_\w+\)$/,
    );
    const { error } = lastJson(r.stderr);
    assert.deepEqual([error.code, error.message, error.remediation, error.status], [
      "CONFLICT",
      "Email already exists",
      "User already invited",
      409,
    ]);
  });

  await using proxy = startFaultyProxy(server.url);
  await t.step("5: 502s until the retries run out", async () => {
    proxy.inject("502", "502", "502", "502");
    const r = await cli(["users", "get", alice.id], { PHYCLOUD_URL: proxy.url });
    assert.equal(r.code, 5);
    assert.equal(r.stderr, "error: Server error (HTTP 502)\n");
  });

  await t.step("1: a timeout", async () => {
    proxy.inject("hang");
    const r = await cli(["users", "list", "--timeout", "300ms"], { PHYCLOUD_URL: proxy.url });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: Request to ${proxy.url}/v1/users?limit=250 timed out after 0.3s - Check the server, or allow more time with --timeout\n`,
    );
  });

  // The real server's 500 and 503 (a failing store, a held write lock): tests/e2e/server_failures_test.ts.
  await t.step("GET is retried after a gateway's two HTML 502s, and succeeds", async () => {
    proxy.inject("502", "502");
    const before = proxy.seen.length;
    const r = await cli(["users", "get", alice.id, "-o", "id"], { PHYCLOUD_URL: proxy.url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${alice.id}\n`);
    assert.equal(proxy.seen.length - before, 3);
  });

  await t.step("an invite whose answer was lost is retried and creates one user", async () => {
    proxy.inject("lose-response");
    const r = await cli(["users", "invite", "--email", "once@example.com", "-o", "json"], {
      PHYCLOUD_URL: proxy.url,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).email, "once@example.com");
    const all = JSON.parse((await cli(["users", "list", "-o", "json"])).stdout) as Array<
      { email: string }
    >;
    assert.equal(all.filter((u) => u.email === "once@example.com").length, 1);
    assert.deepEqual(proxy.seen.slice(-2), ["POST /v1/users", "POST /v1/users"]);
  });

  await t.step("--verbose shows each request and status, never the key", async () => {
    proxy.inject("502");
    const r = await cli(["users", "get", alice.id, "--verbose", "-o", "id"], { PHYCLOUD_URL: proxy.url });
    assert.equal(r.code, 0);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(
      lines[0],
      `* url ${proxy.url} from PHYCLOUD_URL, api key from PHYCLOUD_API_KEY: phy_[redacted]`,
    );
    assert.equal(lines[1], `> GET ${proxy.url}/v1/users/${alice.id}`);
    assert.match(lines[2] ?? "", /^< 502 Bad Gateway in \d+ ms$/);
    assert.equal(lines[3], `> GET ${proxy.url}/v1/users/${alice.id} (retry 1)`);
    assert.match(lines[4] ?? "", /^< 200 OK in \d+ ms \(request id req_\w+\)$/);
    assert.ok(!r.stderr.includes(server.apiKey.slice(4)));
  });
});

Deno.test("configuration precedence: flag, then environment, then .env, then the default", async (t) => {
  await using server = await startTestServer();
  const other = await server.createTenant("other");
  const cwd = "/work/project";
  const dotenv = (vars: Record<string, string>) => ({
    [`${cwd}/.env`]: Object.entries(vars).map(([k, v]) => `${k}=${v}`).join("\n") + "\n",
  });
  const count = async (argv: string[], env: Record<string, string>, files: Record<string, string> = {}) => {
    const r = await runCli(["users", "list", "-o", "json", ...argv], { env, cwd, files });
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as Array<{ email: string }>).length;
  };
  await runCli(["users", "invite", "--email", "a@example.com"], {
    env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey },
  });
  // The default tenant has 2 users and the other tenant 1, so the count shows which key was used.
  await t.step(".env alone", async () => {
    assert.equal(
      await count([], {}, dotenv({ PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey })),
      2,
    );
  });
  await t.step("environment over .env", async () => {
    const files = dotenv({ PHYCLOUD_URL: "http://127.0.0.1:9", PHYCLOUD_API_KEY: server.apiKey });
    assert.equal(await count([], { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: other.apiKey }, files), 1);
  });
  await t.step("flag over environment", async () => {
    const env = { PHYCLOUD_URL: "http://127.0.0.1:9", PHYCLOUD_API_KEY: other.apiKey };
    assert.equal(await count(["--url", server.url, "--api-key", server.apiKey], env), 2);
  });
  await t.step("the default URL is http://localhost:8000", async () => {
    const r = await runCli(["users", "list", "--verbose", "--timeout", "1s"], {
      env: { PHYCLOUD_API_KEY: "phy_x" },
      fetch: () => Promise.reject(new TypeError("connection refused")),
    });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^\* url http:\/\/localhost:8000 from the default, api key from PHYCLOUD_API_KEY: phy_\[redacted\]\n/,
    );
  });
});
