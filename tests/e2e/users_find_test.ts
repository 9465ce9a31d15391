// End-to-end: finding users by email (`users list --email/--search`, `users get ADDRESS`) against the real
// server at its default limits, with exact output and exit codes.
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { DEFAULT_LIMITS } from "../support/default_limits.ts";

Deno.test("users get ADDRESS prints that user; an unknown address is exit 3 User not found", async (t) => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  await server.seedUsers(2000);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });
  const id = (await cli("users", "invite", "--email", "bob@example.com", "-o", "id")).stdout.trim();

  await t.step("any case finds the user, with the same output as users get USER_ID", async () => {
    const byId = await cli("users", "get", id);
    const byEmail = await cli("users", "get", "Bob@EXAMPLE.com");
    assert.equal(byEmail.code, 0, byEmail.stderr);
    assert.equal(byEmail.stderr, "");
    assert.equal(byEmail.stdout, byId.stdout);
    assert.match(byEmail.stdout, new RegExp(`^id: +${id}\nemail: +bob@example\\.com\n`));
    const json = await cli("users", "get", "bob@example.com", "-o", "json");
    assert.equal(JSON.parse(json.stdout).id, id);
  });

  await t.step("a deactivated and re-invited address gives the live user", async () => {
    await cli("users", "deactivate", id, "--yes");
    const again = (await cli("users", "invite", "--email", "bob@example.com", "-o", "id")).stdout.trim();
    const r = await cli("users", "get", "bob@example.com", "--fields", "id,status");
    assert.equal(r.stdout, `id:     ${again}\nstatus: pending\n`);
  });

  await t.step("an address nobody has: exit 3, one line", async () => {
    const r = await cli("users", "get", "nobody@example.com");
    assert.equal(r.code, 3);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      'error: User not found - No user has the email "nobody@example.com"; ' +
        "search with phyware users list --search TEXT\n",
    );
    const json = await cli("users", "get", "nobody@example.com", "-o", "json");
    assert.equal(json.code, 3);
    assert.equal(JSON.parse(json.stderr.split("\n")[1] ?? "").error.code, "NOT_FOUND");
  });

  await t.step("a malformed address: exit 4 before any request", async () => {
    const r = await cli("users", "get", "bob@");
    assert.equal(r.code, 4);
    assert.equal(
      r.stderr,
      'error: Invalid email "bob@": bad domain (expected dot-separated labels of ' +
        "letters, digits and inner hyphens)\n",
    );
  });

  await t.step("users get USER_ID keeps the spec's words", async () => {
    const r = await cli("users", "get", "usr_0000000000000000000000");
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^error: User not found - Check USER_ID \(request id: req_\w+\)\n$/);
  });
});

Deno.test("users list --email and --search filter, combine with --status and page to the end", async (t) => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  await server.seedUsers(600, "default", { emailDomain: "acme.example" });
  await server.seedUsers(400, "default", { emailDomain: "other.example" });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });
  const id = (await cli("users", "invite", "--email", "ada@acme.example", "-o", "id")).stdout.trim();

  await t.step("--email lists that mailbox", async () => {
    const r = await cli("users", "list", "--email", "ADA@acme.example");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `ID${
        " ".repeat(id.length - 2)
      }  EMAIL             STATUS   ROLE\n${id}  ada@acme.example  pending  member\n`,
    );
  });

  await t.step("--search pages through every match (more than one page of 250)", async () => {
    const r = await cli("users", "list", "--search", "ACME", "-o", "id");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").length, 601);
    const pending = await cli("users", "list", "--search", "acme", "--status", "pending", "-o", "json");
    assert.deepEqual(JSON.parse(pending.stdout).map((u: { id: string }) => u.id), [id]);
    const none = await cli("users", "list", "--search", "no-such-text", "-o", "json");
    assert.equal(none.stdout, "[]\n");
  });

  await t.step("bad values: exit 4 with one line, before any request", async () => {
    const short = await cli("users", "list", "--search", "a");
    assert.deepEqual([short.code, short.stderr], [
      4,
      'error: Invalid --search "a": expected 2 to 254 characters\n',
    ]);
    const email = await cli("users", "list", "--email", "not-an-address");
    assert.deepEqual([email.code, email.stderr], [4, 'error: Invalid --email "not-an-address": no "@"\n']);
  });

  await t.step("users list without the new flags prints what it always did", async () => {
    const r = await cli("users", "list", "--limit", "2", "--fields", "email");
    assert.match(r.stdout, /^EMAIL\nadmin@default\.invalid\nuser0-[0-9a-z]+@acme\.example\n$/);
  });
});

Deno.test("FORCE_COLOR and CLICOLOR_FORCE colour a piped table; NO_COLOR still wins", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const plain = await runCli(["users", "list"], { env });
  const ESC = "\x1b";
  assert.ok(!plain.stdout.includes(ESC));
  for (const force of [{ FORCE_COLOR: "1" }, { CLICOLOR_FORCE: "1" }]) {
    const forced = await runCli(["users", "list"], { env: { ...env, ...force } });
    assert.ok(forced.stdout.includes(`${ESC}[32mactive${ESC}[39m`), JSON.stringify(force));
    const no = await runCli(["users", "list"], { env: { ...env, ...force, NO_COLOR: "1" } });
    assert.equal(no.stdout, plain.stdout);
  }
});

Deno.test("a subaddress (alice+test@) is found by users get, users list --email and phyware api with %2B", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });
  await cli("users", "invite", "--email", "alice@example.com");
  const id = (await cli("users", "invite", "--email", "alice+test@example.com", "-o", "id")).stdout.trim();

  const got = await cli("users", "get", "alice+test@example.com", "-o", "id");
  assert.deepEqual([got.code, got.stdout, got.stderr], [0, `${id}\n`, ""]);
  const listed = await cli("users", "list", "--email", "alice+test@example.com", "-o", "id");
  assert.deepEqual([listed.code, listed.stdout], [0, `${id}\n`]);
  const api = await cli("api", "GET", "/v1/users?email=alice%2Btest@example.com");
  assert.equal(api.code, 0, api.stderr);
  assert.deepEqual(JSON.parse(api.stdout).data.map((u: { id: string }) => u.id), [id]);
  // As typed, `+` in a query is a space (as for curl): the server refuses the address rather than guess.
  const plain = await cli("api", "GET", "/v1/users?email=alice+test@example.com");
  assert.equal(plain.code, 4);
  assert.equal(plain.stdout, "");
  assert.match(
    plain.stderr,
    /^error: Invalid "email": contains a control or space character \(request id: req_\w+\)\n$/,
  );
});
