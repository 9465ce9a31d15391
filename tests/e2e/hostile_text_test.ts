// deno-lint-ignore-file no-control-regex -- the test looks for control characters on purpose
// A hostile (or compromised) server's text never steers the user's terminal, whatever the output format:
// escape sequences (set the title, clear the screen) and bidi controls (U+202E) in an email are neutralised
// on a terminal (tmux), while piped output keeps the server's data as it came. The real server refuses such
// emails, so a fake server stands in for a hostile one.
import assert from "node:assert/strict";
import YAML from "yaml";
import { serve } from "../../src/runtime/serve.ts";
import { runCli } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { startTmux } from "../support/tmux.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;
const EVIL = "evil\u001b]0;pwned\u0007\u001b[2J\u202eRTL@example.com";
const USER = {
  id: "usr_evil1",
  email: EVIL,
  status: "active",
  role: "member",
  created_at: "2026-12-01T00:00:00Z",
  invited_by: null,
  activated_at: null,
  deactivated_at: null,
};

async function hostileServer() {
  const server = await serve((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/v1/text") return new Response(`plain ${EVIL}\nline two\n`, { status: 200 });
    if (path === "/v1/me") {
      const tenant = { id: "ten_evil1", name: `Tenant ${EVIL}`, created_at: "2026-12-01T00:00:00Z" };
      const credential = { type: "api_key", id: "key_evil1", name: null, scopes: ["admin:users"] };
      return Response.json({ user: USER, tenant, scopes: credential.scopes, credential });
    }
    const body = path === "/v1/users" ? { data: [USER], next_cursor: null } : USER;
    return Response.json(body);
  }, { hostname: "127.0.0.1", port: 0 });
  return { url: `http://127.0.0.1:${server.port}`, [Symbol.asyncDispose]: () => server.close() };
}

Deno.test(
  "on a terminal (tmux), no format lets the server's escape sequences or bidi controls through",
  needs(["tmux", "tmux"]),
  async (t) => {
    await using server = await hostileServer();
    const phyware = `PHYCLOUD_URL=${server.url} PHYCLOUD_API_KEY=phy_test NO_COLOR=1 ` +
      `"${Deno.execPath()}" run -A --quiet "${main}"`;
    const commands = [
      ["users", "list", "-o", "csv"],
      ["users", "get", "usr_evil1", "-o", "csv"],
      ["users", "list"],
      ["users", "get", "usr_evil1"],
      ["users", "list", "-o", "yaml"],
      ["users", "list", "-o", "ndjson"],
    ];
    // One terminal for every command (tmux sessions started and killed side by side can lose their server).
    await using terminal = await startTmux();
    for (const args of commands) {
      await t.step(args.join(" "), async () => {
        await terminal.type("clear");
        const marker = `m${crypto.randomUUID().slice(0, 6)}`;
        await terminal.type(`echo before-${marker}; ${phyware} ${args.join(" ")}; echo ${marker}=$?`);
        const screen = await terminal.waitFor(new RegExp(`${marker}=\\d`));
        assert.match(screen, new RegExp(`${marker}=0`), screen);
        // The screen was not cleared: the line before the command is still there.
        assert.match(screen, new RegExp(`^before-${marker}$`, "m"), screen);
        assert.ok(!screen.includes("\u202e"), `raw U+202E on screen:\n${screen}`);
        assert.match(screen, /evil.*RTL@example\.com/, screen);
        assert.notEqual(await terminal.title(), "pwned");
      });
    }
  },
);

Deno.test("piped output keeps the server's text as it came; on a terminal every format is neutralised", async () => {
  await using server = await hostileServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: "phy_test" };
  const piped = await runCli(["users", "list", "-o", "ndjson", "--fields", "email"], { env });
  // The same data; only the bidi control is written as the JSON escape \u202e.
  assert.deepEqual(JSON.parse(piped.stdout), { email: EVIL });
  assert.ok(piped.stdout.includes("\\u202e") && !piped.stdout.includes("\u202e"), piped.stdout);
  const neutral = "evil ]0;pwned  [2J RTL@example.com";
  for (const format of ["csv", "table", "json", "ndjson", "yaml"]) {
    const tty = await runCli(["users", "list", "-o", format, "--fields", "email"], {
      env: { ...env, NO_COLOR: "1" },
      terminal: true,
    });
    assert.equal(tty.code, 0, tty.stderr);
    assert.doesNotMatch(
      tty.stdout,
      /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u,
      format,
    );
    assert.ok(tty.stdout.includes(neutral), `${format}: ${tty.stdout}`);
  }
});

Deno.test("phyware api on a terminal escapes a JSON body's and neutralises a text body's steering characters", async () => {
  await using server = await hostileServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: "phy_test" };
  const json = await runCli(["api", "GET", "/v1/users"], { env, terminal: true });
  assert.equal(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
  assert.deepEqual(JSON.parse(json.stdout).data[0].email, EVIL);
  const text = await runCli(["api", "GET", "/v1/text"], { env, terminal: true });
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, "plain evil?]0;pwned??[2J?RTL@example.com\nline two\n");
});

Deno.test("auth status and whoami in YAML on a terminal neutralise the server's tenant name and email", async () => {
  await using server = await hostileServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: "phy_test", NO_COLOR: "1" };
  const neutral = "evil ]0;pwned  [2J RTL@example.com";
  for (const args of [["auth", "status", "-o", "yaml"], ["whoami", "-o", "yaml"]]) {
    const tty = await runCli(args, { env, terminal: true });
    assert.equal(tty.code, 0, tty.stderr);
    assert.doesNotMatch(tty.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    assert.ok(tty.stdout.includes(`Tenant ${neutral}`) && tty.stdout.includes(neutral), tty.stdout);
  }
  // Piped, the same command keeps the server's text as it came.
  const piped = await runCli(["auth", "status", "-o", "yaml"], { env });
  assert.equal(piped.code, 0, piped.stderr);
  const doc = YAML.parse(piped.stdout);
  assert.deepEqual([doc.tenant.name, doc.user.email], [`Tenant ${EVIL}`, EVIL]);
});

Deno.test("deactivate --dry-run on a terminal neutralises the server's current state in text and YAML", async () => {
  await using server = await hostileServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: "phy_test", NO_COLOR: "1" };
  const neutral = "evil ]0;pwned  [2J RTL@example.com";
  for (const format of ["table", "yaml"]) {
    const tty = await runCli(["users", "deactivate", "usr_evil1", "--dry-run", "-o", format], {
      env,
      terminal: true,
    });
    assert.equal(tty.code, 0, tty.stderr);
    assert.doesNotMatch(
      tty.stdout,
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u,
      format,
    );
    assert.ok(tty.stdout.includes(neutral), `${format}: ${tty.stdout}`);
  }
  // Piped, YAML keeps the server's text as it came.
  const piped = await runCli(["users", "deactivate", "usr_evil1", "--dry-run", "-o", "yaml"], { env });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(YAML.parse(piped.stdout).current.email, EVIL);
});
