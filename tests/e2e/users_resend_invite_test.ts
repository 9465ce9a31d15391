// End-to-end: `users resend-invite` against the real server: a new email at the outbox, the users verbs'
// formats, and the exit codes of a user that is not pending (4) and of another tenant's user (3).
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

async function outboxCount(dir: string): Promise<number> {
  let n = 0;
  try {
    for await (const _ of Deno.readDir(dir)) n++;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return n;
}

Deno.test("users resend-invite sends a pending user a new email and prints the user", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });
  const id = (await cli("users", "invite", "--email", "again@example.com", "-o", "id")).stdout.trim();
  await server.mailIdle();
  const before = await outboxCount(server.outboxDir);
  assert.equal(before, 1);

  await t.step("prints the user in the chosen format, and a new email goes out", async () => {
    const r = await cli("users", "resend-invite", id, "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), {
      id,
      email: "again@example.com",
      status: "pending",
      role: "member",
    });
    await server.mailIdle();
    assert.equal(await outboxCount(server.outboxDir), before + 1);
    const table = await cli("users", "resend-invite", id, "--fields", "email,status");
    assert.equal(table.stdout, "EMAIL              STATUS\nagain@example.com  pending\n");
  });

  await t.step("--dry-run sends nothing", async () => {
    await server.mailIdle();
    const count = await outboxCount(server.outboxDir);
    const r = await cli("users", "resend-invite", id, "--dry-run");
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^Dry run: nothing was sent\nPOST ${server.url}/v1/users/${id}/invitation\n`),
    );
    await server.mailIdle();
    assert.equal(await outboxCount(server.outboxDir), count);
  });

  await t.step("a user who is not pending: CONFLICT, exit 4", async () => {
    await cli("users", "deactivate", id, "--yes");
    const r = await cli("users", "resend-invite", id);
    assert.equal(r.code, 4);
    assert.match(
      r.stderr,
      /^error: User is inactive: only a pending user's invitation can be resent \(request id: req_\w+\)\n$/,
    );
  });

  await t.step("another tenant's user, or none: exit 3", async () => {
    const other = await server.createTenant("other");
    const theirs = (await runCli(["users", "invite", "--email", "t@example.com", "-o", "id"], {
      env: { ...env, PHYCLOUD_API_KEY: other.apiKey },
    })).stdout.trim();
    for (const target of [theirs, "usr_nobody"]) {
      const r = await cli("users", "resend-invite", target);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /^error: User not found - Check USER_ID/);
    }
  });
});
