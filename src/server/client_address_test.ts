import assert from "node:assert/strict";
import { clientAddress } from "./client_address.ts";

const request = (forwarded?: string) =>
  new Request("http://x/", { headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded } });
const socket = { remoteAddress: "10.0.0.1" };

Deno.test("clientAddress is the socket's peer unless a trusted proxy forwarded the request", () => {
  assert.equal(clientAddress(request("1.2.3.4"), socket, false), "10.0.0.1", "X-Forwarded-For ignored");
  assert.equal(clientAddress(request("6.6.6.6, 1.2.3.4"), socket, true), "1.2.3.4", "the proxy's entry");
  assert.equal(clientAddress(request(), socket, true), "10.0.0.1");
  assert.equal(clientAddress(request(" , "), socket, true), "10.0.0.1");
  assert.equal(clientAddress(request(), undefined, false), "unknown");
});
