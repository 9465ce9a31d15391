// An API key pasted where a USER_ID goes is refused before it is sent, and is not echoed; the server's
// request log never holds a token-shaped path segment, whoever sends it (text and JSON log formats).
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";

Deno.test("users get/deactivate/set-role/resend-invite refuse a USER_ID that is an API key, sending nothing", async () => {
  const lines: string[] = [];
  await using server = await startTestServer({ log: (line) => lines.push(line) });
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const secret = server.apiKey;
  for (
    const argv of [
      ["users", "get", secret],
      ["users", "deactivate", secret, "--yes"],
      ["users", "set-role", secret, "--role", "member"],
      ["users", "resend-invite", secret],
    ]
  ) {
    const r = await runCli(argv, { env });
    assert.equal(r.code, 4, `${argv[1]}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      'error: Invalid USER_ID "phy_...": it looks like a secret (an API key or token), not a user id ' +
        "- Give the user's id, such as usr_abc123: phyware users list prints the ids\n",
    );
  }
  assert.deepEqual(lines.filter((l) => l.includes("/v1/users/")), [], "nothing was sent");
  // An ordinary id still goes to the server.
  assert.equal((await runCli(["users", "get", "usr_nobody"], { env })).code, 3);
});

Deno.test("the server's request log redacts a token-shaped path segment, in text and JSON", async () => {
  for (const logFormat of ["text", "json"] as const) {
    const lines: string[] = [];
    await using server = await startTestServer({ log: (line) => lines.push(line), logFormat });
    const secret = server.apiKey.slice(4);
    const headers = { authorization: `Bearer ${server.apiKey}` };
    for (const path of [`/v1/users/phy_${secret}`, `/v1/users/phs_${secret}`, `/v1/users/%70hi_${secret}`]) {
      const response = await fetch(server.url + path, { headers });
      await response.body?.cancel();
      assert.equal(response.status, 404);
    }
    await server[Symbol.asyncDispose]();
    const logged = lines.filter((l) => l.includes("/v1/users/"));
    assert.equal(logged.length, 3, lines.join("\n"));
    for (const line of logged) {
      assert.ok(!line.includes(secret), `${logFormat}: ${line}`);
      assert.match(line, /\/v1\/users\/ph[ysi]_\[redacted\]/, line);
    }
  }
});
