// Issue 18 item 18: the standard-input spool file ($TMPDIR/phyware-stdin-*) is removed when SIGINT or SIGTERM
// stops `users invite --from-file -`, while it still reads standard input and while it sends.
import assert from "node:assert/strict";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";
import { delay } from "../../src/runtime/delay.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

async function spoolDirs(tmp: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(tmp)) {
    if (entry.name.startsWith("phyware-stdin-")) names.push(entry.name);
  }
  return names;
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await delay(50);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`${signal} removes the standard-input spool, while reading and while sending`, async (t) => {
    await using server = await startTestServer({ inviteRateLimit: 1 });
    for (const phase of ["reading", "sending"]) {
      await t.step(phase, async () => {
        await using tmp = await tempDir("phyware-signal-tmp-");
        const child = new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--quiet", main, "users", "invite", "--from-file", "-", "-o", "ndjson"],
          env: {
            PATH: Deno.env.get("PATH") ?? "",
            HOME: Deno.env.get("HOME") ?? "",
            TMPDIR: tmp.path,
            PHYCLOUD_URL: server.url,
            PHYCLOUD_API_KEY: server.apiKey,
          },
          clearEnv: true,
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const writer = child.stdin.getWriter();
        await writer.write(
          new TextEncoder().encode("email\nsig1@example.com\nsig2@example.com\nsig3@example.com\n"),
        );
        if (phase === "sending") await writer.close();
        // The spool exists: standard input is being copied (reading), or the rows wait on the limit (sending).
        await waitFor("the spool", async () => (await spoolDirs(tmp.path)).length === 1);
        if (phase === "sending") {
          const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
          // The first row went out; the second waits a minute for the 1-a-minute limit.
          assert.match((await reader.read()).value ?? "", /"result":"invited"/);
          reader.releaseLock();
        }
        child.kill(signal);
        const status = await child.status;
        assert.equal(status.signal, signal);
        assert.deepEqual(await spoolDirs(tmp.path), []);
        if (phase === "reading") await writer.close().catch(() => {});
        await child.stdout.cancel().catch(() => {});
        await child.stderr.cancel();
      });
    }
  });
}
