// End-to-end: bulk invite (--email repeated, --from-file CSV and NDJSON, stdin) against the real server:
// per-row results in input order, exists on a rerun, exit codes, the summary line, a malformed file, --dry-run.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

Deno.test("bulk invite: results in input order, a rerun finishes the job without duplicates", async (t) => {
  await using server = await startTestServer();
  const dir = await Deno.makeTempDir({ prefix: "phyware-bulk-" });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const count = async () =>
    JSON.parse((await runCli(["users", "list", "-o", "json"], { env })).stdout).length;
  try {
    await t.step("several --email: one result each, in order; the summary on stderr", async () => {
      const r = await runCli([
        "users",
        "invite",
        "--email",
        "a@example.com",
        "--email",
        "b@example.com",
        "-o",
        "ndjson",
      ], { env });
      assert.equal(r.code, 0, r.stderr);
      const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(
        rows.map((row) => [row.line, row.email, row.role, row.result, row.status, row.error]),
        [
          [1, "a@example.com", "member", "invited", "pending", null],
          [2, "b@example.com", "member", "invited", "pending", null],
        ],
      );
      assert.deepEqual(Object.keys(rows[0]), ["line", "email", "role", "result", "id", "status", "error"]);
      assert.equal(r.stderr, "2 invited, 0 already existed, 0 failed\n");
    });

    const csv = join(dir, "team.csv");
    const lines = ["email,role"];
    for (let i = 0; i < 40; i++) lines.push(`user${i}@example.com,${i % 10 === 0 ? "admin" : ""}`);
    lines.push("a@example.com,member", "not-an-email,member");
    await Deno.writeTextFile(csv, lines.join("\n") + "\n");

    await t.step(
      "a CSV file: rows in order, an existing email is exists, a bad row fails alone (exit 4)",
      async () => {
        const r = await runCli(
          ["users", "invite", "--from-file", csv, "--concurrency", "8", "-o", "ndjson"],
          { env },
        );
        assert.equal(r.code, 4);
        const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
        assert.deepEqual(rows.map((row) => row.line), Array.from({ length: 42 }, (_, i) => i + 2));
        assert.equal(rows[0].role, "admin");
        assert.equal(rows[1].role, "member");
        assert.deepEqual(rows.slice(0, 40).map((row) => row.result), Array(40).fill("invited"));
        assert.equal(rows[40].result, "exists");
        assert.equal(rows[41].result, "failed");
        assert.equal(rows[41].error.code, "VALIDATION_ERROR");
        // With ndjson, the error is also one JSON object on stderr, as for every command.
        assert.equal(r.stderr.split("\n")[0], "error: 40 invited, 1 already existed, 1 failed");
        assert.equal(await count(), 1 + 2 + 40);
      },
    );

    await t.step("running the same file again: every row exists, nothing is duplicated", async () => {
      const good = join(dir, "good.csv");
      await Deno.writeTextFile(good, lines.slice(0, -1).join("\n") + "\n");
      const r = await runCli(["users", "invite", "--from-file", good, "-o", "json"], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        new Set(JSON.parse(r.stdout).map((row: { result: string }) => row.result)),
        new Set(["exists"]),
      );
      assert.equal(r.stderr, "0 invited, 41 already existed, 0 failed\n");
      assert.equal(await count(), 43);
    });

    await t.step("NDJSON from standard input", async () => {
      const stdin = '{"email": "n1@example.com"}\n\n{"email": "n2@example.com", "role": "admin"}\n';
      const r = await runCli(["users", "invite", "--from-file", "-", "-o", "csv"], { env, stdin });
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^line,email,role,result,id,status,error\r\n1,n1@example\.com,member,invited,usr_\w+,pending,\r\n3,n2@example\.com,admin,invited,usr_\w+,pending,\r\n$/,
      );
    });

    await t.step("a malformed file exits 4 before anything is sent, naming the line", async () => {
      const before = await count();
      const bad = join(dir, "bad.ndjson");
      await Deno.writeTextFile(bad, '{"email": "z1@example.com"}\n{"email": "z2@example.com"}\nnot json\n');
      const r = await runCli(["users", "invite", "--from-file", bad], { env });
      assert.deepEqual([r.code, r.stdout], [4, ""]);
      assert.match(r.stderr, /^error: Invalid --from-file at line 3: not a JSON object - /);
      const noColumn = join(dir, "nocol.csv");
      await Deno.writeTextFile(noColumn, "name\nann\n");
      const r2 = await runCli(["users", "invite", "--from-file", noColumn], { env });
      assert.equal(r2.code, 4);
      // The header is not echoed (a first line may be a secret): its column count is.
      assert.match(r2.stderr, /line 1: none of the header's 1 columns is an email column/);
      const empty = join(dir, "empty.csv");
      await Deno.writeTextFile(empty, "email\n\n");
      assert.equal((await runCli(["users", "invite", "--from-file", empty], { env })).code, 4);
      assert.equal(await count(), before);
    });

    await t.step("--dry-run checks every row and sends nothing", async () => {
      const before = await count();
      const r = await runCli([
        "users",
        "invite",
        "--email",
        "d1@example.com",
        "--email",
        "bad",
        "--dry-run",
        "-o",
        "ndjson",
      ], { env });
      assert.equal(r.code, 4);
      const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(rows.map((row) => row.result), ["would_invite", "failed"]);
      assert.match(
        r.stderr,
        /^Dry run: nothing was sent; 1 rows would go to POST http:\/\/127\.0\.0\.1:\d+\/v1\/users, 1 would fail\n/,
      );
      assert.equal(await count(), before);
    });

    await t.step("one --email still behaves as the spec says: CONFLICT exits 4", async () => {
      const r = await runCli(["users", "invite", "--email", "a@example.com"], { env });
      assert.equal(r.code, 4);
      assert.match(r.stderr, /^error: Email already exists - User already invited/);
    });

    await t.step("a refused key fails every row with exit 2", async () => {
      const r = await runCli([
        "users",
        "invite",
        "--email",
        "k1@example.com",
        "--email",
        "k2@example.com",
        "-o",
        "ndjson",
      ], {
        env: { ...env, PHYCLOUD_API_KEY: "phy_wrong" },
      });
      assert.equal(r.code, 2);
      assert.equal(r.stderr.split("\n")[0], "error: 0 invited, 0 already existed, 2 failed");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
