// The server's HTTP tests that touch storage, run again on PostgreSQL: the same files, each service on a new
// database of a cluster of this test's own (tests/server/service.ts reads PHYWARE_TEST_POSTGRES).
import assert from "node:assert/strict";
import { needsPostgres, startPostgres } from "../support/postgres.ts";

// The files whose services keep their data only through the store (others also open the SQLite file beside
// the service, to seed or to inspect it, and run on SQLite alone).
const FILES = [
  "tests/server/accept_test.ts",
  "tests/server/api_keys_manage_test.ts",
  "tests/server/api_keys_test.ts",
  "tests/server/deep_body_test.ts",
  "tests/server/events_test.ts",
  "tests/server/http_test.ts",
  "tests/server/invite_test.ts",
  "tests/server/limits_test.ts",
  "tests/server/openapi_test.ts",
  "tests/server/resend_cooldown_test.ts",
  "tests/server/set_role_test.ts",
  "tests/server/tenant_isolation_test.ts",
  "tests/server/user_test.ts",
];

Deno.test({
  name: "the server's HTTP tests pass on PostgreSQL too",
  ...needsPostgres(),
  async fn() {
    await using cluster = await startPostgres();
    const root = new URL("../../", import.meta.url).pathname;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-prompt", "--quiet", ...FILES],
      cwd: root,
      env: { PHYWARE_TEST_POSTGRES: cluster.url, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    const summary = /^(ok|FAILED) \| (\d+) passed.*$/m.exec(out)?.[0] ?? "no summary";
    assert.equal(
      code,
      0,
      `${summary}\n${out.split("\n").filter((l) => /FAILED|Error|assert/i.test(l)).slice(0, 40).join("\n")}`,
    );
    assert.match(summary, /^ok \| [1-9]\d* passed/);
  },
});
