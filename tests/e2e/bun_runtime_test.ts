// The CLI from source under Bun, the runtime the release binaries are built with: the same exit codes,
// messages and pipe behaviour as under Deno, against the real server.
import assert from "node:assert/strict";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";
import { runCliProcess } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

const root = new URL("../..", import.meta.url).pathname;
const main = new URL("../../main.ts", import.meta.url).pathname;

async function bunRun(bun: string, args: string[], env: Record<string, string>, pipe = "") {
  // --no-env-file: Bun would otherwise load .env files itself, outside phyware's precedence rules.
  const command = `set -o pipefail; "${bun}" --no-env-file "${main}" ${
    args.map((a) => `'${a}'`).join(" ")
  }${pipe}`;
  const out = await new Deno.Command("bash", {
    args: ["-c", command],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

Deno.test("under Bun the CLI behaves as under Deno", async (t) => {
  const bun = await findBun(root, pkg.devDependencies.bun, () => {});
  await using server = await startTestServer();
  await server.seedUsers(1500);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const cases: Array<[string, string[]]> = [
    ["get of an unknown id", ["users", "get", "usr_missing"]],
    ["a member key", ["users", "list", "--api-key", await server.createKey([])]],
    ["a bad --output", ["users", "list", "-o", "xml"]],
    ["no API key", ["users", "list", "--api-key", ""]],
    ["invite then a duplicate", ["users", "invite", "--email", "dup@example.com", "-o", "json"]],
    ["the duplicate", ["users", "invite", "--email", "dup@example.com", "-o", "json"]],
  ];
  for (const [name, args] of cases) {
    await t.step(name, async () => {
      const underBun = await bunRun(bun, args, env);
      const underDeno = name === "invite then a duplicate"
        ? undefined
        : await runCliProcess(args, { env: { ...env, NO_COLOR: "1" } });
      if (underDeno) {
        assert.equal(underBun.code, underDeno.code);
        const ids = (s: string) => s.replace(/req_\w+/g, "req_*");
        assert.equal(ids(underBun.stderr), ids(underDeno.stderr));
        assert.equal(underBun.stdout, underDeno.stdout);
      } else {
        assert.equal(underBun.code, 0, underBun.stderr);
        assert.equal(JSON.parse(underBun.stdout).status, "pending");
      }
    });
  }

  await t.step("list across pages, and piped to head, exits cleanly", async () => {
    const all = await bunRun(bun, ["users", "list", "-o", "id"], env);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout.trimEnd().split("\n").length, 1502);
    const head = await bunRun(bun, ["users", "list", "-o", "ndjson"], env, " | head -n 1");
    assert.deepEqual([head.code, head.stderr], [0, ""]);
    assert.equal(head.stdout.split("\n").length, 2);
  });
});
