// The `.env` rule at its edge: a key that did not come from `.env` goes to a URL from `.env` only when that
// URL is this machine (127.0.0.0/8, [::1], localhost). Hosts that merely start like one are refused before
// any request: loosening the check to "starts with 127." would send the key to 127.evil.example.
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve } from "../../src/runtime/serve.ts";
import { startServer } from "../../src/server/mod.ts";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";

const CWD = "/work/project";

function withDotenvUrl(url: string) {
  return { [`${CWD}/.env`]: `PHYCLOUD_URL=${url}\n` };
}

Deno.test(".env's URL gets a key from the environment only on loopback: 127.0.0.1 and [::1] yes, look-alikes no", async (t) => {
  await using server = await startTestServer();
  // The same service on the IPv6 loopback, with the same key.
  await using dir = await tempDir("phyware-ipv6-");
  const v6 = await startServer({
    hostname: "::1",
    port: 0,
    dbPath: join(dir.path, "phyware.db"),
    outboxDir: join(dir.path, "outbox"),
    bootstrapApiKey: server.apiKey,
  }, { serve });
  try {
    const env = { PHYCLOUD_API_KEY: server.apiKey };
    for (const url of [server.url, `http://[::1]:${v6.port}`]) {
      await t.step(`${url} from .env receives the key`, async () => {
        const r = await runCli(["users", "list", "-o", "id"], { env, cwd: CWD, files: withDotenvUrl(url) });
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^usr_\w+\n$/);
      });
    }
    for (
      const url of [
        "http://127.evil.example",
        "http://127.0.0.1.evil.example",
        "http://localhost.example",
        "http://[::2]:8000",
      ]
    ) {
      await t.step(`${url} from .env is refused before any request`, async () => {
        const r = await runCli(["users", "list"], { env, cwd: CWD, files: withDotenvUrl(url) });
        assert.equal(r.code, 4);
        assert.equal(r.stdout, "");
        assert.equal(
          r.stderr,
          `error: Refusing to send the API key from PHYCLOUD_API_KEY to ${url} from PHYCLOUD_URL in .env - ` +
            "Pass --url, or put the key in the same .env\n",
        );
      });
    }
  } finally {
    await v6.close();
  }
});
