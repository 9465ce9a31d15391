// End-to-end: `phyware api` and `--debug` / PHYWARE_DEBUG against the real server: bodies, exit codes,
// retries through a failing proxy, and a trace that never shows a secret.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { startFaultyProxy } from "../support/faulty_proxy.ts";
import { startTestServer } from "../support/server.ts";
import { DEFAULT_LIMITS } from "../support/default_limits.ts";
import { tempDir } from "../support/temp_dir.ts";
import { needs } from "../support/programs.ts";
import { startTmux } from "../support/tmux.ts";

Deno.test("phyware api sends any request and prints the body: compact when piped, indented on a terminal", async (t) => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (argv: string[], options: { terminal?: boolean; stdin?: string } = {}) =>
    runCli(["api", ...argv], { env, ...options });

  await t.step("GET /v1/me, piped: the body as the service sent it", async () => {
    const r = await cli(["GET", "/v1/me"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const me = JSON.parse(r.stdout);
    assert.equal(me.tenant.name, "default");
    assert.equal(r.stdout.split("\n").length, 2, "one line and its newline");
  });

  await t.step("on a terminal the JSON is indented", async () => {
    const r = await cli(["get", "v1/me"], { terminal: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\{\n {2}"user": \{\n {4}"id": "usr_/);
  });

  let id = "";
  await t.step("--data JSON, @FILE and @- send a JSON body; writes carry an Idempotency-Key", async () => {
    const inline = await cli(["POST", "/v1/users", "--data", '{"email":"a@example.com"}']);
    assert.equal(inline.code, 0, inline.stderr);
    id = JSON.parse(inline.stdout).id;
    await using dir = await tempDir();
    const file = join(dir.path, "body.json");
    await Deno.writeTextFile(file, '{"role": "admin"}\n');
    const fromFile = await cli(["PATCH", `/v1/users/${id}`, "--data", `@${file}`]);
    assert.equal(JSON.parse(fromFile.stdout).role, "admin");
    const fromStdin = await cli(["PATCH", `/v1/users/${id}`, "--data", "@-"], { stdin: '{"role":"member"}' });
    assert.equal(JSON.parse(fromStdin.stdout).role, "member");
    const query = await cli(["GET", "/v1/users?q=a@example&limit=5"]);
    assert.deepEqual(JSON.parse(query.stdout).data.map((u: { id: string }) => u.id), [id]);
  });

  await t.step("errors exit as every command does: 404 is 3, 409 is 4, no key is 2", async () => {
    const missing = await cli(["GET", "/v1/users/usr_0000000000000000000000"]);
    assert.equal(missing.code, 3);
    assert.equal(missing.stdout, "");
    assert.match(missing.stderr, /^error: User not found - Check USER_ID \(request id: req_\w+\)\n$/);
    const conflict = await cli(["POST", "/v1/users", "--data", '{"email":"a@example.com"}']);
    assert.equal(conflict.code, 4);
    assert.match(conflict.stderr, /^error: Email already exists - User already invited/);
    const noKey = await runCli(["api", "GET", "/v1/me"], { env: { PHYCLOUD_URL: server.url } });
    assert.equal(noKey.code, 2);
    const route = await cli(["DELETE", "/v1/users"]);
    assert.equal(route.code, 4);
    assert.match(route.stderr, /^error: Method not allowed: use GET, POST/);
  });

  await t.step("bad arguments: exit 4, one line, nothing sent", async () => {
    const cases: Array<[string[], string]> = [
      [
        ["FETCH", "/v1/me"],
        'error: Invalid METHOD "FETCH": expected one of GET, HEAD, POST, PUT, PATCH, DELETE\n',
      ],
      [
        ["GET", "https://evil.example/v1/me"],
        'error: Invalid PATH "https://evil.example/v1/me": give a path such as /v1/users; the host comes from --url\n',
      ],
      [
        ["GET", "/v1/me", "--data", "{}"],
        "error: Invalid --data: a GET request has no body; use POST, PUT or PATCH\n",
      ],
      [
        ["POST", "/v1/users", "--data", "{email:1}"],
        /^error: Invalid JSON in --data: .* - The body is sent as application\/json; check its syntax\n$/
          .source,
      ],
      [
        ["POST", "/v1/users", "--data", "@/nonexistent/body.json"],
        'error: Cannot read --data file "/nonexistent/body.json": no such file\n',
      ],
    ];
    for (const [argv, expected] of cases) {
      const r = await cli(argv);
      assert.equal(r.code, 4, argv.join(" "));
      assert.equal(r.stdout, "");
      if (expected.startsWith("^")) assert.match(r.stderr, new RegExp(expected));
      else assert.equal(r.stderr, expected);
    }
  });
});

Deno.test("phyware api retries a lost answer of a write with the same Idempotency-Key: one user", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const proxy = startFaultyProxy(server.url);
  try {
    proxy.inject("lose-response");
    const r = await runCli(["api", "POST", "/v1/users", "--data", '{"email":"once@example.com"}'], {
      env: { PHYCLOUD_URL: proxy.url, PHYCLOUD_API_KEY: server.apiKey },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(proxy.seen, ["POST /v1/users", "POST /v1/users"]);
    const list = await runCli(["api", "GET", "/v1/users?email=once@example.com"], {
      env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey },
    });
    assert.equal(JSON.parse(list.stdout).data.length, 1);
  } finally {
    await proxy.close();
  }
});

Deno.test("--debug and PHYWARE_DEBUG=1 trace each exchange on stderr and never show a secret", async (t) => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const secretPart = server.apiKey.slice(4);

  await t.step("users get --debug: request and response, headers and body, key redacted", async () => {
    const id = (await runCli(["users", "invite", "--email", "t@example.com", "-o", "id"], { env })).stdout
      .trim();
    const r = await runCli(["users", "get", id, "--debug", "-o", "id"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${id}\n`, "stdout is untouched");
    assert.match(r.stderr, new RegExp(`^> GET ${server.url}/v1/users/${id}\n`));
    assert.match(r.stderr, /\n> authorization: Bearer \[redacted\]\n/);
    assert.match(r.stderr, /\n< 200 OK \(\d+ ms\)\n/);
    assert.match(r.stderr, /\n< content-type: application\/json/);
    assert.match(r.stderr, new RegExp(`\n< \\{"id":"${id}","email":"t@example.com"`));
    assert.ok(!r.stderr.includes(secretPart), "the key never appears");
  });

  await t.step("PHYWARE_DEBUG=1 turns it on; a key in a body is redacted too", async () => {
    const r = await runCli([
      "api",
      "POST",
      "/v1/api-keys",
      "--data",
      '{"name":"ci","scopes":["admin:users"]}',
    ], {
      env: { ...env, PHYWARE_DEBUG: "1" },
    });
    assert.equal(r.code, 0, r.stderr);
    const created = JSON.parse(r.stdout);
    assert.match(created.key, /^phy_/, "stdout is the answer, with the new key the user asked for");
    assert.match(r.stderr, /\n< \{.*"key":"\[redacted\]"/);
    assert.ok(!r.stderr.includes(created.key.slice(4)), "the new key is not in the trace");
    assert.ok(!r.stderr.includes(secretPart), "nor the key in use");
  });

  await t.step("bodies over 4 KiB are cut, saying how much was left out", async () => {
    await server.seedUsers(100);
    const r = await runCli(["users", "list", "--debug", "-o", "id"], { env });
    assert.equal(r.stdout.trim().split("\n").length, 102);
    assert.match(r.stderr, /\n< \[\d+ more bytes not shown\]\n/);
    for (const line of r.stderr.split("\n")) {
      assert.ok(line.length <= 4096 + 2, "no line longer than the cut");
    }
  });

  await t.step("without the flag or the variable nothing is traced", async () => {
    const r = await runCli(["api", "GET", "/v1/me"], { env: { ...env, PHYWARE_DEBUG: "0" } });
    assert.equal(r.stderr, "");
  });
});

Deno.test("auth login --debug traces the check without the key typed in", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  await using dir = await tempDir();
  const r = await runCli(["auth", "login", "--url", server.url, "--debug"], {
    env: { PHYCLOUD_CONFIG_DIR: join(dir.path, "cfg") },
    stdin: `${server.apiKey}\n`,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`> GET ${server.url}/v1/me\n`));
  assert.match(r.stderr, /> authorization: Bearer \[redacted\]\n/);
  assert.ok(!r.stderr.includes(server.apiKey.slice(4)));
  assert.ok(!r.stdout.includes(server.apiKey.slice(4)));
});

Deno.test(
  "in a real terminal (tmux), phyware api indents the JSON and --debug shows no key",
  needs(["tmux", "tmux"]),
  async () => {
    await using server = await startTestServer(DEFAULT_LIMITS);
    await using terminal = await startTmux();
    const main = new URL("../../main.ts", import.meta.url).pathname;
    await using dir = await tempDir();
    const keyFile = join(dir.path, "key");
    await Deno.writeTextFile(keyFile, `${server.apiKey}\n`, { mode: 0o600 });
    const me = await runCli(["api", "GET", "/v1/me"], {
      env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey },
    });
    const id = JSON.parse(me.stdout).user.id;
    const trace = join(dir.path, "trace.txt");
    // The key comes from a file, so the only places it could show are phyware's own output: the screen and
    // the trace, kept in a file because it is longer than the 20-line pane.
    await terminal.type(
      `PHYCLOUD_URL=${server.url} PHYCLOUD_API_KEY_FILE=${keyFile} NO_COLOR=1 ` +
        `"${Deno.execPath()}" run -A --quiet "${main}" api GET /v1/users/${id} --debug 2>"${trace}"; ` +
        `echo "exit=$?"`,
    );
    const screen = await terminal.waitFor(/exit=\d+/);
    assert.match(screen, new RegExp(`\n\\{\n {2}"id": "${id}",\n {2}"email": "admin@default\\.invalid",\n`));
    assert.match(screen, /exit=0/);
    assert.ok(!screen.includes(server.apiKey.slice(4)), "the key is not on the screen");
    const traced = await Deno.readTextFile(trace);
    assert.match(traced, /> authorization: Bearer \[redacted\]/);
    assert.match(traced, /< 200 OK/);
    assert.ok(!traced.includes(server.apiKey.slice(4)), "nor in the trace");
  },
);
