import assert from "node:assert/strict";
import { serve } from "./serve.ts";

Deno.test("serve listens on a free loopback port and closes", async () => {
  const server = await serve(() => new Response("hello"), { hostname: "127.0.0.1", port: 0 });
  try {
    assert.ok(server.port > 0);
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    assert.equal(await response.text(), "hello");
  } finally {
    await server.close();
  }
});

Deno.test("serve hands the handler the peer's address from the socket", async () => {
  const server = await serve((_request, info) => new Response(info?.remoteAddress ?? "none"), {
    hostname: "127.0.0.1",
    port: 0,
  });
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/`, {
      headers: { "x-forwarded-for": "10.9.9.9" },
    });
    assert.equal(await response.text(), "127.0.0.1");
  } finally {
    await server.close();
  }
});
