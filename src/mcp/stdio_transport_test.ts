import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Writer } from "../context.ts";
import { delay } from "../runtime/delay.ts";
import { StdioTransport } from "./stdio_transport.ts";

class Lines implements Writer {
  text = "";
  write(text: string): Promise<void> {
    this.text += text;
    return Promise.resolve();
  }
}

async function* chunks(...parts: Array<string | Uint8Array>): AsyncIterable<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? new TextEncoder().encode(part) : part;
}

function collect(transport: StdioTransport): { received: JSONRPCMessage[]; closed: Promise<void> } {
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (message) => void received.push(message);
  const closed = new Promise<void>((resolve) => transport.onclose = resolve);
  return { received, closed };
}

Deno.test("messages split across chunks, even inside a UTF-8 character, arrive whole", async () => {
  const bytes = new TextEncoder().encode('{"jsonrpc":"2.0","method":"n","params":{"who":"Zoë"}}\r\n');
  const cut = bytes.indexOf(0xc3) + 1;
  const transport = new StdioTransport(
    chunks(bytes.subarray(0, cut), bytes.subarray(cut), "\n\n"),
    new Lines(),
  );
  const { received, closed } = collect(transport);
  await transport.start();
  await closed;
  assert.deepEqual(received, [{ jsonrpc: "2.0", method: "n", params: { who: "Zoë" } }]);
});

Deno.test("a line that is not JSON, or not JSON-RPC, gets the protocol's error, and reading goes on", async () => {
  const out = new Lines();
  const transport = new StdioTransport(
    chunks('nope\n{"id":7,"method":"x"}\n[1]\n{"jsonrpc":"2.0","method":"ok"}\n'),
    out,
  );
  const { received, closed } = collect(transport);
  await transport.start();
  await closed;
  assert.deepEqual(out.text.trimEnd().split("\n").map((line) => JSON.parse(line)), [
    { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: a line is not JSON" } },
    {
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32600, message: "Invalid Request: not a JSON-RPC 2.0 message" },
    },
    {
      jsonrpc: "2.0",
      id: null,
      error: { code: -32600, message: "Invalid Request: not a JSON-RPC 2.0 message" },
    },
  ]);
  assert.deepEqual(received, [{ jsonrpc: "2.0", method: "ok" }]);
});

Deno.test("at end of input, requests already received are answered before the transport closes", async () => {
  const out = new Lines();
  const transport = new StdioTransport(chunks('{"jsonrpc":"2.0","id":1,"method":"slow"}\n'), out);
  let closedAt = "";
  transport.onclose = () => closedAt = out.text;
  transport.onmessage = () => {
    setTimeout(() => void transport.send({ jsonrpc: "2.0", id: 1, result: {} }), 30);
  };
  await transport.start();
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(closedAt, '{"jsonrpc":"2.0","id":1,"result":{}}\n');
});

Deno.test("a line longer than the limit closes the transport with an error", async () => {
  const transport = new StdioTransport(chunks("x".repeat(10 * 1024 * 1024 + 1)), new Lines());
  const errors: string[] = [];
  transport.onerror = (error) => void errors.push(error.message);
  const { closed } = collect(transport);
  await transport.start();
  await closed;
  assert.deepEqual(errors, ["A JSON-RPC message is longer than 10485760 bytes"]);
});

Deno.test("at end of input, a request the client cancelled is not waited for: the SDK never answers it", async () => {
  const out = new Lines();
  const transport = new StdioTransport(
    chunks(
      '{"jsonrpc":"2.0","id":1,"method":"slow"}\n{"jsonrpc":"2.0","id":"b","method":"slow"}\n',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"timeout"}}\n',
    ),
    out,
  );
  const { received, closed } = collect(transport);
  await transport.start();
  // Request "b" is still owed an answer; request 1 is not.
  const early = await Promise.race([closed.then(() => "closed"), delay(50).then(() => "open")]);
  assert.equal(early, "open");
  await transport.send({ jsonrpc: "2.0", id: "b", result: {} });
  await closed;
  assert.equal(received.length, 3);
  assert.equal(out.text, '{"jsonrpc":"2.0","id":"b","result":{}}\n');
});
