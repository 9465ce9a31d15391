// stdout may be a non-blocking pipe (a parent set O_NONBLOCK, as some process managers and shells do): the
// output must still arrive whole and exactly once when the reader is slower than phyware, under Deno and Bun.
import assert from "node:assert/strict";
import { needsPlatform } from "../support/programs.ts";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";
import { startTestServer } from "../support/server.ts";
import { delay } from "../../src/runtime/delay.ts";

const root = new URL("../..", import.meta.url).pathname;
const main = new URL("../../main.ts", import.meta.url).pathname;
const nonblocking = new URL("../support/nonblocking_stdout.ts", import.meta.url).pathname;

/** Runs `command` with stdout set O_NONBLOCK; reads 4 KiB every 2 ms, at most 2,000,000 bytes, for 60 s. */
async function throughSlowPipe(command: string[], env: Record<string, string>): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", nonblocking, ...command],
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.getReader({ mode: "byob" });
  const decoder = new TextDecoder();
  let text = "";
  let length = 0;
  while (length < 2_000_000) {
    const { done, value } = await reader.read(new Uint8Array(4096));
    if (done) break;
    text += decoder.decode(value, { stream: true });
    length += value.length;
    await delay(2);
  }
  await reader.cancel();
  const status = await child.status;
  assert.equal(status.code, 0, await stderr);
  return text + decoder.decode();
}

Deno.test(
  "a slow reader on a non-blocking pipe gets the whole list exactly once",
  needsPlatform("linux"),
  async () => {
    await using server = await startTestServer();
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
  },
);
