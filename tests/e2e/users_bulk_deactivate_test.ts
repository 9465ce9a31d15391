// End-to-end: bulk deactivate (several ids, --from-file) against the real server: --yes off a terminal,
// the one confirmation on a terminal, per-id results in order, already_inactive, and exit codes.
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

Deno.test("bulk deactivate: several ids or a file of ids, one result each, --yes off a terminal", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const invite = async (email: string) =>
    (await runCli(["users", "invite", "--email", email, "-o", "id"], { env })).stdout.trim();
  const [a, b, c] = [
    await invite("a@example.com"),
    await invite("b@example.com"),
    await invite("c@example.com"),
  ];
  const statusOf = async (id: string) =>
    JSON.parse((await runCli(["users", "get", id, "-o", "json"], { env })).stdout).status;

  await t.step(
    "without a terminal, more than one id needs --yes: exit 4 before anything is sent",
    async () => {
      const r = await runCli(["users", "deactivate", a, b], { env });
      assert.deepEqual([r.code, r.stdout], [4, ""]);
      assert.equal(
        r.stderr,
        "error: Deactivating 2 users needs --yes when there is no terminal to confirm on\n",
      );
      assert.equal(await statusOf(a), "pending");
    },
  );

  await t.step(
    "on a terminal, one confirmation names the count and the emails; no changes nothing",
    async () => {
      const r = await runCli(["users", "deactivate", a, b], { env, terminal: true, answers: ["n"] });
      assert.equal(r.code, 1);
      assert.deepEqual(r.prompts, [
        "Deactivate 2 users (a@example.com, b@example.com)? This revokes all their sessions and API keys and cannot " +
        "be undone with phyware. [y/N] ",
      ]);
      assert.equal(await statusOf(b), "pending");
    },
  );

  await t.step("--yes: one result per id in order; an unknown id fails alone with exit 3", async () => {
    const r = await runCli(["users", "deactivate", a, "usr_nobody", b, "--yes", "-o", "ndjson"], { env });
    assert.equal(r.code, 3);
    const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((row) => [row.line, row.id, row.result]), [
      [1, a, "deactivated"],
      [2, "usr_nobody", "failed"],
      [3, b, "deactivated"],
    ]);
    assert.deepEqual(Object.keys(rows[0]), ["line", "id", "email", "status", "result", "error"]);
    assert.equal(rows[1].error.code, "NOT_FOUND");
    assert.equal(r.stderr.split("\n")[0], "error: 2 deactivated, 0 already inactive, 1 failed");
  });

  await t.step("--from-file - with ids as -o id prints them; already inactive is not a failure", async () => {
    const r = await runCli(["users", "deactivate", "--from-file", "-", "--yes", "-o", "json"], {
      env,
      stdin: `${a}\n\n${c}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).map((row: { line: number; result: string }) => [row.line, row.result]),
      [
        [1, "already_inactive"],
        [3, "deactivated"],
      ],
    );
    assert.equal(r.stderr, "1 deactivated, 1 already inactive, 0 failed\n");
    assert.equal(await statusOf(c), "inactive");
  });

  await t.step("a single id behaves exactly as before", async () => {
    const d = await invite("d@example.com");
    const r = await runCli(["users", "deactivate", d], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^ID +EMAIL +STATUS +ROLE\n${d} +d@example\\.com +inactive +member\n$`),
    );
    assert.equal(
      (await runCli(["users", "deactivate"], { env })).stderr,
      'error: Missing required argument "USER_ID"\n',
    );
  });
});
