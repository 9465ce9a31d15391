// End-to-end: every users verb in every output format, in process, against the real server on loopback.
import assert from "node:assert/strict";
import YAML from "yaml";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

const FIELDS = ["id", "email", "status", "role"];
const DETAIL_FIELDS = [...FIELDS, "created_at", "invited_by", "activated_at", "deactivated_at"];

Deno.test("each users verb in each output format", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });
  const invited = await cli("users", "invite", "--email", "alice@example.com", "-o", "json");
  assert.equal(invited.code, 0, invited.stderr);
  assert.equal(invited.stderr, "");
  const alice = JSON.parse(invited.stdout);
  assert.deepEqual(Object.keys(alice), FIELDS);
  assert.match(alice.id, /^usr_[A-Za-z0-9]{10,}$/);
  assert.deepEqual({ ...alice, id: "" }, {
    id: "",
    email: "alice@example.com",
    status: "pending",
    role: "member",
  });

  await t.step("invite prints the pending user in every format", async () => {
    const outputs: Record<string, (out: string, email: string) => void> = {
      table: (out, email) => {
        const [header, row, extra] = out.split("\n");
        assert.match(header ?? "", /^ID\s+EMAIL\s+STATUS\s+ROLE$/);
        assert.match(
          row ?? "",
          new RegExp(`^usr_\\w+\\s+${email.replace(".", "\\.")}\\s+pending\\s+admin$`),
        );
        assert.equal(extra, "");
      },
      json: (out, email) => assert.equal(JSON.parse(out).email, email),
      ndjson: (out, email) => {
        assert.equal(out.split("\n").length, 2);
        assert.equal(JSON.parse(out).email, email);
      },
      yaml: (out, email) => {
        const doc = YAML.parse(out);
        assert.deepEqual(Object.keys(doc), FIELDS);
        assert.equal(doc.email, email);
      },
      csv: (out, email) =>
        assert.match(out, new RegExp(`^id,email,status,role\\r\\nusr_\\w+,${email},pending,admin\\r\\n$`)),
      id: (out) => assert.match(out, /^usr_\w+\n$/),
    };
    for (const [format, check] of Object.entries(outputs)) {
      const email = `${format}@example.com`;
      const r = await cli("users", "invite", "--email", email, "--role", "admin", "--output", format);
      assert.equal(r.code, 0, `${format}: ${r.stderr}`);
      assert.equal(r.stderr, "");
      check(r.stdout, email);
    }
  });

  await t.step("list returns all users in every format", async () => {
    const json = await cli("users", "list", "-o", "json");
    assert.equal(json.code, 0, json.stderr);
    const users = JSON.parse(json.stdout) as Array<Record<string, string>>;
    assert.equal(users.length, 8); // the bootstrap admin, alice, and one per format above
    for (const u of users) assert.deepEqual(Object.keys(u), FIELDS);
    const emails = users.map((u) => u.email);
    assert.ok(emails.includes("alice@example.com"));

    const ndjson = await cli("users", "list", "-o", "ndjson");
    assert.deepEqual(ndjson.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)), users);
    assert.deepEqual(YAML.parse((await cli("users", "list", "-o", "yaml")).stdout), users);
    const csv = (await cli("users", "list", "-o", "csv")).stdout.trimEnd().split("\r\n");
    assert.equal(csv[0], "id,email,status,role");
    assert.deepEqual(csv.slice(1), users.map((u) => `${u.id},${u.email},${u.status},${u.role}`));
    assert.equal((await cli("users", "list", "-o", "id")).stdout, users.map((u) => u.id + "\n").join(""));

    const table = (await cli("users", "list")).stdout.trimEnd().split("\n");
    assert.equal(table.length, 9);
    assert.match(table[0] ?? "", /^ID {2,}EMAIL {2,}STATUS {2,}ROLE$/);
    const statusColumn = (table[0] ?? "").indexOf("STATUS");
    for (const line of table.slice(1)) assert.match(line.slice(statusColumn), /^(pending|active) /);
    assert.ok(!table.join("\n").includes("\x1b"), "no colour when stdout is not a terminal");
  });

  await t.step("on a terminal the table has colour, unless NO_COLOR is set", async () => {
    const tty = await runCli(["users", "list"], { env, terminal: true });
    assert.ok(tty.stdout.startsWith("\x1b[1mID"), tty.stdout);
    assert.ok(tty.stdout.includes("\x1b[33mpending\x1b[39m"));
    const noColor = await runCli(["users", "list"], { env: { ...env, NO_COLOR: "1" }, terminal: true });
    assert.equal(noColor.stdout, (await cli("users", "list")).stdout);
    const json = await runCli(["users", "list", "-o", "json"], { env, terminal: true });
    assert.ok(!json.stdout.includes("\x1b"));
  });

  await t.step("global options may stand before the verb as well as after it", async () => {
    const after = await runCli([
      "users",
      "list",
      "-o",
      "id",
      "--url",
      server.url,
      "--api-key",
      server.apiKey,
    ]);
    const before = await runCli([
      "users",
      "-o",
      "id",
      "--url",
      server.url,
      "--api-key",
      server.apiKey,
      "list",
    ]);
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(before, after);
    const mixed = await runCli(["users", "-o", "csv", "--url", server.url, "list", "-o", "id"], { env });
    assert.equal(mixed.stdout, after.stdout, "the verb's own option wins over the group's");
  });

  await t.step("list filters by status and role, and --limit stops early", async () => {
    const pending = JSON.parse((await cli("users", "list", "-o", "json", "--status", "pending")).stdout);
    assert.equal(pending.length, 7);
    assert.ok(pending.every((u: { status: string }) => u.status === "pending"));
    const admins = JSON.parse((await cli("users", "list", "-o", "json", "--role", "admin")).stdout);
    assert.equal(admins.length, 7);
    const two = await cli("users", "list", "-o", "id", "--limit", "2");
    assert.equal(two.stdout.trimEnd().split("\n").length, 2);
  });

  await t.step("get prints every detail", async () => {
    const json = await cli("users", "get", alice.id, "-o", "json");
    assert.equal(json.code, 0, json.stderr);
    const user = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(user), DETAIL_FIELDS);
    assert.equal(user.email, "alice@example.com");
    assert.equal(user.status, "pending");
    assert.match(user.created_at, /^\d{4}-\d\d-\d\dT/);
    assert.match(user.invited_by, /^usr_/);
    assert.equal(user.activated_at, null);
    assert.equal(user.deactivated_at, null);

    const table = (await cli("users", "get", alice.id)).stdout;
    assert.match(
      table,
      new RegExp(`^id: +${alice.id}\nemail: +alice@example\\.com\nstatus: +pending\nrole: +member\n`),
    );
    assert.match(table, /\nactivated_at: +-\ndeactivated_at: +-\n$/);
    assert.deepEqual(YAML.parse((await cli("users", "get", alice.id, "-o", "yaml")).stdout), user);
    assert.equal((await cli("users", "get", alice.id, "-o", "id")).stdout, `${alice.id}\n`);
    const csv = (await cli("users", "get", alice.id, "-o", "csv")).stdout;
    assert.ok(csv.startsWith(DETAIL_FIELDS.join(",") + "\r\n"));
    assert.deepEqual(JSON.parse((await cli("users", "get", alice.id, "-o", "ndjson")).stdout), user);
  });

  await t.step("deactivate prints the inactive user; again, it says so and succeeds", async () => {
    const first = await cli("users", "deactivate", alice.id, "-o", "json");
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { ...alice, status: "inactive" });
    const again = await cli("users", "deactivate", alice.id);
    assert.equal(again.code, 0);
    assert.equal(again.stderr, `User ${alice.id} (alice@example.com) is already inactive; nothing to do\n`);
    assert.match(again.stdout, new RegExp(`${alice.id}\\s+alice@example\\.com\\s+inactive\\s+member`));
    const detail = JSON.parse((await cli("users", "get", alice.id, "-o", "json")).stdout);
    assert.match(detail.deactivated_at, /^\d{4}-/);
    for (const format of ["ndjson", "yaml", "csv", "id"]) {
      const r = await cli("users", "deactivate", alice.id, "-o", format);
      assert.equal(r.code, 0);
      assert.ok(r.stdout.includes(alice.id), `${format}: ${r.stdout}`);
    }
  });

  await t.step(
    "deactivate --dry-run shows the request and the current state, and changes nothing",
    async () => {
      const bob = JSON.parse(
        (await cli("users", "invite", "--email", "bob@example.com", "-o", "json")).stdout,
      );
      const r = await cli("users", "deactivate", bob.id, "--dry-run", "-o", "json");
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.request.url, `${server.url}/v1/users/${bob.id}/deactivate`);
      assert.equal(doc.current.status, "pending");
      const after = JSON.parse((await cli("users", "get", bob.id, "-o", "json")).stdout);
      assert.equal(after.status, "pending");
      const text = await cli("users", "deactivate", bob.id, "--dry-run");
      assert.match(text.stdout, /^Dry run: nothing was sent\nPOST http/);
      assert.match(text.stdout, /Current state:\n {2}id: usr_/);
    },
  );
});
