// End-to-end: `users set-role` against the real server (output, messages on a terminal, exit codes), and
// what the other writes say on a terminal.
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { startTestServer } from "../support/server.ts";
import { DEFAULT_LIMITS } from "../support/default_limits.ts";
import { startTmux } from "../support/tmux.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("users set-role changes the role and prints the user; stderr stays empty off a terminal", async (t) => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });
  const id = (await cli("users", "invite", "--email", "ada@example.com", "-o", "id")).stdout.trim();

  await t.step("off a terminal: the user on stdout, nothing on stderr", async () => {
    const r = await cli("users", "set-role", id, "--role", "admin", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), {
      id,
      email: "ada@example.com",
      status: "pending",
      role: "admin",
    });
    const got = await cli("users", "get", id, "-o", "json");
    assert.equal(JSON.parse(got.stdout).role, "admin");
  });

  await t.step("on a terminal it says what changed, on stderr", async () => {
    const r = await runCli(["users", "set-role", id, "--role", "Member"], {
      env: { ...env, NO_COLOR: "1" },
      terminal: true,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `Changed the role of ada@example.com (${id}) from admin to member; their admin:users API keys are revoked\n`,
    );
    assert.match(r.stdout, /ada@example\.com +pending +member/);
    const again = await runCli(["users", "set-role", id, "--role", "member"], { env, terminal: true });
    assert.equal(again.stderr, `ada@example.com (${id}) already has the role member; nothing changed\n`);
  });

  await t.step("--dry-run prints the PATCH and sends nothing", async () => {
    const r = await cli("users", "set-role", id, "--role", "admin", "--dry-run", "-o", "json");
    const plan = JSON.parse(r.stdout);
    assert.deepEqual([plan.request.method, plan.request.url, plan.request.body], [
      "PATCH",
      `${server.url}/v1/users/${id}`,
      { role: "admin" },
    ]);
    assert.equal(JSON.parse((await cli("users", "get", id, "-o", "json")).stdout).role, "member");
  });

  await t.step("the last active admin: exit 4 CONFLICT with what to do", async () => {
    const me = JSON.parse((await cli("whoami", "-o", "json")).stdout);
    const r = await cli("users", "set-role", me.user.id, "--role", "member");
    assert.equal(r.code, 4);
    assert.match(
      r.stderr,
      /^error: Cannot demote the last active admin of the tenant: make another user an active admin first - Promote one with phyware users set-role USER_ID --role admin, then try again \(request id: req_\w+\)\n$/,
    );
  });

  await t.step("an unknown role, an unknown user, an inactive user, no --role", async () => {
    const role = await cli("users", "set-role", id, "--role", "owner");
    assert.equal(role.code, 4);
    assert.match(role.stderr, /^error: Invalid --role "owner": expected one of "admin", "member"\n$/);
    const unknown = await cli("users", "set-role", "usr_0000000000000000000000", "--role", "admin");
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /^error: User not found - Check USER_ID/);
    await cli("users", "deactivate", id, "--yes");
    const inactive = await cli("users", "set-role", id, "--role", "admin");
    assert.equal(inactive.code, 4);
    assert.match(inactive.stderr, /is inactive: the role of a deactivated user cannot be changed/);
    const missing = await cli("users", "set-role", id);
    assert.deepEqual([missing.code, missing.stderr], [
      4,
      'error: Required option "--role <role>" not specified\n',
    ]);
  });
});

Deno.test("invite and resend-invite say what they did on a terminal, and nothing when piped", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const piped = await runCli(["users", "invite", "--email", "p@example.com"], { env });
  assert.equal(piped.stderr, "");
  const invited = await runCli(["users", "invite", "--email", "alice@example.com", "-o", "id"], {
    env,
    terminal: true,
  });
  const id = invited.stdout.trim();
  assert.equal(invited.stderr, `Invited alice@example.com (${id}) as member\n`);
  const resent = await runCli(["users", "resend-invite", id, "-o", "id"], { env, terminal: true });
  assert.equal(resent.stderr, `Sent a new invitation to alice@example.com (${id})\n`);
  assert.equal(resent.stdout, `${id}\n`);
});

Deno.test(
  "in a real terminal (tmux), set-role says what changed above the user's row",
  needs(["tmux", "tmux"]),
  async () => {
    await using server = await startTestServer(DEFAULT_LIMITS);
    await using terminal = await startTmux();
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    const id = (await runCli(["users", "invite", "--email", "carol@example.com", "-o", "id"], { env }))
      .stdout.trim();
    await terminal.type(
      `PHYCLOUD_URL=${server.url} PHYCLOUD_API_KEY=${server.apiKey} NO_COLOR=1 ` +
        `"${Deno.execPath()}" run -A --quiet "${main}" users set-role ${id} --role admin; echo "exit=$?"`,
    );
    const screen = await terminal.waitFor(/exit=\d+/);
    assert.match(
      screen,
      new RegExp(
        `Changed the role of carol@example\\.com \\(${id}\\) from member to admin\\n` +
          `ID +EMAIL +STATUS +ROLE\\n${id} +carol@example\\.com +pending +admin\\nexit=0`,
      ),
    );
  },
);
