// Issue 18 item 10: what the runtime answers before phyware sees a request, as docs/server-reliability.md
// lists it. phyware has no hook for these (neither Deno.serve nor Bun.serve passes an unparsable request to
// the app), so they carry no request id; anything the runtime does pass gets a problem+json with one.
import assert from "node:assert/strict";
import { startServerProcess } from "../../scripts/server_process.ts";
import { rawRequest } from "../support/raw_request.ts";

const line = (text: string) => `${text}\r\nHost: localhost\r\nConnection: close\r\n\r\n`;

const PROBES: [name: string, request: string, deno: string, bun: string][] = [
  ["an unknown method (FOO)", line("FOO /v1/users HTTP/1.1"), "405 problem", "closed"],
  [
    "headers over the runtime's limit",
    line(`GET /healthz HTTP/1.1\r\nX-Big: ${"a".repeat(200_000)}`),
    "400",
    "431",
  ],
  ["a request line over the runtime's limit", line(`GET /${"a".repeat(100_000)} HTTP/1.1`), "400", "431"],
  ["HTTP/2.0 in an HTTP/1 request line", line("GET /healthz HTTP/2.0"), "400", "505"],
  ["no request line at all", "HELLO\r\n\r\n", "400", "400"],
];

function outcome(raw: string): string {
  if (raw === "") return "closed";
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(raw)?.[1] ?? "?";
  return /\r\nx-request-id: req_\w+\r\n/i.test(raw) && /application\/problem\+json/.test(raw)
    ? `${status} problem`
    : status;
}

for (const runtime of ["deno", "bun"] as const) {
  Deno.test(`under ${runtime}: what the runtime answers by itself is as documented`, async (t) => {
    await using server = await startServerProcess({ phyware: runtime });
    for (const [name, request, deno, bun] of PROBES) {
      await t.step(name, async () => {
        assert.equal(outcome(await rawRequest(server.port, request)), runtime === "deno" ? deno : bun);
      });
    }
  });
}
