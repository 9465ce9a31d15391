// stdout may be a non-blocking pipe (a parent set O_NONBLOCK, as some process managers and shells do): the
// output must still arrive whole and exactly once when the reader is slower than phyware, under Deno and Bun.
import assert from "node:assert/strict";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";
import { startTestServer } from "../support/server.ts";

const root = new URL("../..", import.meta.url).pathname;
const main = new URL("../../main.ts", import.meta.url).pathname;

// Sets O_NONBLOCK on the shared pipe, then runs phyware; the reader takes 4 KiB every 2 ms.
const NONBLOCKING = "import os,sys,fcntl\n" +
  "fl=fcntl.fcntl(1,fcntl.F_GETFL); fcntl.fcntl(1,fcntl.F_SETFL,fl|os.O_NONBLOCK)\n" +
  "os.execvp(sys.argv[1],sys.argv[1:])\n";
const SLOW_READER = "import sys,time\nout=sys.stdout.buffer\n" +
  "while True:\n b=sys.stdin.buffer.read1(4096)\n if not b: break\n out.write(b); time.sleep(0.002)\n";

async function throughSlowPipe(command: string[], env: Record<string, string>): Promise<string> {
  const script =
    `set -o pipefail; timeout 60 python3 -c '${NONBLOCKING}' ${command.map((a) => `'${a}'`).join(" ")} ` +
    `| head -c 2000000 | python3 -c '${SLOW_READER}'`;
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { ...env, NO_COLOR: "1", PATH: `/usr/bin:${Deno.env.get("PATH") ?? "/bin"}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test("a slow reader on a non-blocking pipe gets the whole list exactly once", async () => {
  const server = await startTestServer();
  try {
    await server.seedUsers(2000);
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    const bun = await findBun(root, pkg.devDependencies.bun, () => {});
    const runtimes: Array<[string, string[]]> = [
      ["deno", [Deno.execPath(), "run", "-A", "--quiet", main]],
      ["bun", [bun, "--no-env-file", main]],
    ];
    for (const [name, prefix] of runtimes) {
      const text = await throughSlowPipe([...prefix, "users", "list", "-o", "json"], env);
      assert.ok(text.length < 1_000_000, `${name}: ${text.length} bytes for about 190 KB of JSON`);
      const users = JSON.parse(text) as Array<{ id: string }>;
      assert.equal(users.length, 2001, name);
      assert.equal(new Set(users.map((u) => u.id)).size, 2001, name);
    }
  } finally {
    await server.close();
  }
});
