// End-to-end: --fields on every users verb, in every format, against the real server.
import assert from "node:assert/strict";
import YAML from "yaml";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

Deno.test("--fields picks fields of the full record, in order, in every format", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cli = (...argv: string[]) => runCli(argv, { env });

  const invited = await cli(
    "users",
    "invite",
    "--email",
    "f@example.com",
    "--fields",
    "email,created_at",
    "-o",
    "json",
  );
  assert.equal(invited.code, 0, invited.stderr);
  const record = JSON.parse(invited.stdout);
  assert.deepEqual(Object.keys(record), ["email", "created_at"]);
  assert.equal(record.email, "f@example.com");
  assert.match(record.created_at, /^\d{4}-\d\d-\d\dT/);
  const id = (await cli("users", "list", "-o", "id")).stdout.trim().split("\n").at(-1) ?? "";

  await t.step("list prints any field, in every format", async () => {
    const args = ["users", "list", "--fields", "invited_by,email"];
    const json = JSON.parse((await cli(...args, "-o", "json")).stdout) as Array<Record<string, unknown>>;
    assert.equal(json.length, 2);
    for (const row of json) assert.deepEqual(Object.keys(row), ["invited_by", "email"]);
    const invitedRow = json.find((row) => row.email === "f@example.com");
    assert.match(String(invitedRow?.invited_by), /^usr_/);
    const ndjson = (await cli(...args, "-o", "ndjson")).stdout.trimEnd().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(ndjson, json);
    assert.deepEqual(YAML.parse((await cli(...args, "-o", "yaml")).stdout), json);
    const csv = (await cli(...args, "-o", "csv")).stdout;
    assert.equal(csv.split("\r\n")[0], "invited_by,email");
    const table = (await cli(...args)).stdout.split("\n");
    assert.match(table[0] ?? "", /^INVITED_BY\s+EMAIL$/);
    assert.equal((await cli(...args, "-o", "id")).code, 4, "--fields is not for -o id (see below)");
  });

  await t.step("get prints the chosen fields as key/value lines", async () => {
    const r = await cli("users", "get", id, "--fields", "status,id");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `status: pending\nid:     ${id}\n`);
  });

  await t.step("deactivate prints the chosen fields", async () => {
    const r = await cli("users", "deactivate", id, "--yes", "--fields", "deactivated_at,status", "-o", "csv");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^deactivated_at,status\r\n\d{4}-[^,]+,inactive\r\n$/);
  });

  await t.step("without --fields, each format prints what it printed before", async () => {
    const r = await cli("users", "list", "-o", "json");
    for (const row of JSON.parse(r.stdout)) {
      assert.deepEqual(Object.keys(row), ["id", "email", "status", "role"]);
    }
  });

  await t.step("an unknown field exits 4 and names the valid ones, sending nothing", async () => {
    const r = await cli("users", "invite", "--email", "g@example.com", "--fields", "id,name");
    assert.equal(r.code, 4);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      'error: Invalid --fields "id,name": unknown field "name" - Valid fields: id, email, status, role, ' +
        "created_at, invited_by, activated_at, deactivated_at\n",
    );
    const after = JSON.parse((await cli("users", "list", "-o", "json")).stdout) as unknown[];
    assert.equal(after.length, 2);
  });
});

Deno.test("--fields with -o id is refused before any request, as its help says (not with -o id)", async () => {
  const lines: string[] = [];
  await using server = await startTestServer({ log: (line) => lines.push(line) });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  for (
    const argv of [
      ["users", "list", "--fields", "email", "-o", "id"],
      ["users", "get", "usr_abc123", "--fields", "email", "-o", "id"],
      ["api-keys", "list", "--fields", "name", "-o", "id"],
      ["events", "list", "--fields", "action", "-o", "id"],
    ]
  ) {
    const r = await runCli(argv, { env });
    assert.equal(r.code, 4, `${argv.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      "error: Use --fields or --output id, not both - --output id prints the ids only: drop --fields, or choose " +
        "another --output\n",
    );
  }
  assert.deepEqual(lines, [], "no request was sent");
  // Each alone still works.
  assert.equal((await runCli(["users", "list", "-o", "id"], { env })).code, 0);
  assert.equal((await runCli(["users", "list", "--fields", "email"], { env })).code, 0);
});
