// The fast path (src/cli/fast_path.ts) and commander print the same bytes and exit codes for the same request:
// a "--" before the arguments sends a command line to commander without changing what it asks for.
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

Deno.test("users get and list answer the same through the fast path and through commander", async (t) => {
  await using server = await startTestServer();
  await server.seedUsers(3);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const ids = (await runCli(["users", "list", "-o", "id"], { env })).stdout.trim().split("\n");
  const id = ids[1] ?? "";
  const cases: Array<[fast: string[], commander: string[]]> = [
    [["users", "get", id], ["users", "get", "--", id]],
    [["users", "-o", "json", "get", id, "--fields", "id,email"], [
      "users",
      "-o",
      "json",
      "get",
      "--fields",
      "id,email",
      "--",
      id,
    ]],
    [["users", "get", "usr_missing", "-o", "json"], ["users", "get", "-o", "json", "--", "usr_missing"]],
    [["users", "get", "bad/id"], ["users", "get", "--", "bad/id"]],
    [["users", "list"], ["users", "list", "--"]],
    [["users", "list", "--limit", "2", "-o", "yaml"], ["users", "list", "--limit", "2", "-o", "yaml", "--"]],
    [["users", "list", "--status", "active", "-ocsv"], [
      "users",
      "list",
      "--status",
      "active",
      "-ocsv",
      "--",
    ]],
    [["users", "list", "--limit", "0"], ["users", "list", "--limit", "0", "--"]],
    [["users", "list", "--api-key", "phy_wrong"], ["users", "list", "--api-key", "phy_wrong", "--"]],
    [["--version"], ["--version", "--"]],
  ];
  for (const [fast, commander] of cases) {
    await t.step(fast.join(" "), async () => {
      const a = await runCli(fast, { env });
      const b = await runCli(commander, { env });
      // Request ids differ from call to call; nothing else may.
      const same = (r: typeof a) => ({
        code: r.code,
        stdout: r.stdout,
        stderr: r.stderr.replace(/req_\w+/g, "req"),
      });
      assert.deepEqual(same(a), same(b));
    });
  }
});
