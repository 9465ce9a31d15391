// HTTP edges on a real listener, under Deno and under Bun (the release binary's runtime): bad Host headers,
// unknown methods and clients that hang up mid-request. Where the runtime answers by itself the test says so.
import assert from "node:assert/strict";
import { startServerProcess } from "../../scripts/server_process.ts";
import { newSecret, SECRET_PREFIX } from "../../src/server/ids.ts";
import { rawRequest } from "../support/raw_request.ts";

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

function parse(raw: string): RawResponse | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(raw);
  if (!match) return undefined;
  const headers = new Map<string, string>();
  for (const line of (match[2] ?? "").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(match[1]), headers, body: match[3] ?? "" };
}

function assertProblem(response: RawResponse | undefined, status: number): RawResponse {
  assert.ok(response, "an HTTP response");
  assert.equal(response.status, status);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  assert.match(response.headers.get("x-request-id") ?? "", /^req_\w+$/);
  return response;
}

const get = (host: string | undefined) =>
  `GET /healthz HTTP/1.1\r\n${host === undefined ? "" : `Host: ${host}\r\n`}Connection: close\r\n\r\n`;

for (const runtime of ["deno", "bun"] as const) {
  Deno.test(`under ${runtime}: bad Host is 400, unknown methods 405, a hang-up is logged as a disconnect`, async (t) => {
    const apiKey = newSecret(SECRET_PREFIX.apiKey);
    await using server = await startServerProcess({
      phyware: runtime,
      env: { PHYCLOUD_BOOTSTRAP_API_KEY: apiKey },
    });
    const auth = `Authorization: Bearer ${apiKey}\r\n`;

    await t.step("a missing Host is 400", async () => {
      const response = parse(await rawRequest(server.port, get(undefined)));
      if (runtime === "bun") {
        // Bun refuses an HTTP/1.1 request without Host before the app sees it, with an empty body.
        assert.equal(response?.status, 400);
      } else {
        assert.match(JSON.parse(assertProblem(response, 400).body).detail, /^Missing Host header/);
      }
    });

    for (const host of ["", "a b", "[::1", "x:99999", "u@x", "x/y"]) {
      await t.step(`Host ${JSON.stringify(host)} is 400 problem+json`, async () => {
        const response = assertProblem(parse(await rawRequest(server.port, get(host))), 400);
        assert.match(JSON.parse(response.body).detail, /^(Empty|Malformed) Host header/);
      });
    }

    for (const method of ["DELETE", "PUT", "PATCH", "OPTIONS", "TRACE", "PROPFIND"]) {
      await t.step(`${method} is 405 with Allow`, async () => {
        const raw = await rawRequest(
          server.port,
          `${method} /v1/users HTTP/1.1\r\nHost: localhost\r\n${auth}Connection: close\r\n\r\n`,
        );
        const response = assertProblem(parse(raw), 405);
        assert.equal(response.headers.get("allow"), "GET, POST");
      });
    }

    await t.step("a method name the runtime does not know", async () => {
      const raw = await rawRequest(
        server.port,
        `FOO /v1/users HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      if (runtime === "bun") {
        // Bun closes the connection without an answer: the app never sees the request.
        assert.equal(raw, "");
      } else {
        assert.equal(assertProblem(parse(raw), 405).headers.get("allow"), "GET, POST");
      }
    });

    await t.step("a client that hangs up mid-body is logged as a disconnect, not a 500", async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(new TextEncoder().encode(
        `POST /v1/users HTTP/1.1\r\nHost: localhost\r\n${auth}Content-Type: application/json\r\n` +
          `Content-Length: 100\r\n\r\n{"email":`,
      ));
      await new Promise((resolve) => setTimeout(resolve, 200));
      conn.close();
      const deadline = Date.now() + 5000;
      while (!/POST \/v1\/users disconnected/.test(server.stderr()) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.match(server.stderr(), /POST \/v1\/users disconnected [\d.]+ms req_\w+\n/);
      assert.doesNotMatch(server.stderr(), / 500 | error /);
    });
  });
}
