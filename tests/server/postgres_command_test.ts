// `phyware server` on PostgreSQL as an operator runs it: `--db postgres://...` or PHYCLOUD_DATABASE_URL,
// `server tenant create` against it, a URL scheme phyware does not serve refused, and a password never shown.
import assert from "node:assert/strict";
import { run } from "../../src/cli/mod.ts";
import { testContext, testHost } from "../support/context.ts";
import { needsPostgres, startPostgres } from "../support/postgres.ts";
import { startServerProcess } from "../../scripts/server_process.ts";

Deno.test({
  name: "server tenant create and server start work on PostgreSQL; its key works through the started server",
  ...needsPostgres(),
  async fn() {
    await using cluster = await startPostgres();
    const db = await cluster.database();
    // PHYCLOUD_DATABASE_URL in place of --db.
    const created = testContext({ env: { PHYCLOUD_DATABASE_URL: db } });
    assert.equal(
      await run(["server", "tenant", "create", "acme", "-o", "json"], created.ctx, testHost),
      0,
      created.stderr.text,
    );
    const key = JSON.parse(created.stdout.text).api_key as string;
    const dup = testContext();
    assert.equal(await run(["server", "tenant", "create", "acme", "--db", db], dup.ctx, testHost), 4);
    assert.match(dup.stderr.text, /Tenant "acme" already exists/);
    const server = await startServerProcess({ db });
    try {
      const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(me.status, 200);
      assert.equal((await me.json()).tenant.name, "acme");
    } finally {
      await server.stop("SIGKILL");
    }
  },
});

Deno.test({
  name: "a database URL phyware does not serve, or no server at the URL: one line, no password",
  async fn(t) {
    await t.step(
      "an unsupported scheme exits 4 naming the schemes served, echoing only the scheme",
      async () => {
        for (
          const [args, env] of [
            [["--db", "mysql://root:hunter2@db/users"], {}],
            [[], { PHYCLOUD_DATABASE_URL: "mysql://root:hunter2@db/users" }],
          ] as const
        ) {
          const out = testContext({ env });
          assert.equal(await run(["server", "tenant", "create", "acme", ...args], out.ctx, testHost), 4);
          assert.match(out.stderr.text, /mysql:\/\/ is not a database phyware serves; use a postgres:\/\//);
          assert.doesNotMatch(out.stderr.text, /hunter2/);
          assert.equal(out.stderr.text.trimEnd().split("\n").length, 1, out.stderr.text);
        }
      },
    );
    await t.step("no server at the URL: exit 1, the URL with its password hidden, what to do", async () => {
      const out = testContext();
      const code = await run(
        ["server", "tenant", "create", "acme", "--db", "postgres://phy:hunter2@127.0.0.1:1/phycloud"],
        out.ctx,
        testHost,
      );
      assert.equal(code, 1);
      assert.match(
        out.stderr.text,
        /Cannot open database "postgres:\/\/phy:\*\*\*@127\.0\.0\.1:1\/phycloud"/,
      );
      assert.match(out.stderr.text, /Start PostgreSQL, or correct the host and port/);
      assert.doesNotMatch(out.stderr.text, /hunter2/);
    });
  },
});
