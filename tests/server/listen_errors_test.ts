// `server start` that cannot listen says why in words that fit: a host that does not resolve, an address
// this machine does not have, a port in use; never "Is port 0 in use?" (Bun's wording for all of them).
import assert from "node:assert/strict";
import { serve } from "../../src/runtime/serve.ts";
import { runCli } from "../support/context.ts";

const FIX = " - Check --host and --port (0 picks a free port)\n";

Deno.test("server start names why it cannot listen: bad host, foreign address, port in use (exit 1)", async (t) => {
  const start = (host: string, port: string) =>
    runCli(["server", "start", "--host", host, "--port", port, "--db", ":memory:"]);
  await t.step("a host that is no address and does not resolve", async () => {
    const r = await start("999.1.1.1", "0");
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: Cannot listen on 999.1.1.1:0: "999.1.1.1" is neither an IP address nor a host name that resolves' +
        FIX,
    );
  });
  await t.step("an address of another machine (TEST-NET-1)", async () => {
    const r = await start("192.0.2.1", "0");
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: Cannot listen on 192.0.2.1:0: "192.0.2.1" is not an address of this machine' + FIX,
    );
  });
  await t.step("a port another listener holds", async () => {
    const other = await serve(() => new Response("busy"), { hostname: "127.0.0.1", port: 0 });
    try {
      const r = await start("127.0.0.1", String(other.port));
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `error: Cannot listen on 127.0.0.1:${other.port}: port ${other.port} is in use` + FIX,
      );
    } finally {
      await other.close();
    }
  });
});
