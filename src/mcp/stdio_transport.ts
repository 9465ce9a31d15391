// The SDK's exports map gives types for this subpath only without ".js".
// @ts-types="@modelcontextprotocol/sdk/shared/transport"
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
// The SDK's exports map gives types for this subpath only without ".js".
// @ts-types="@modelcontextprotocol/sdk/types"
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Writer } from "../context.ts";

/** Longest JSON-RPC line accepted (the SDK's own stdio limit). */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

type Id = string | number;

/** The id of a request (a message with a method and an id); undefined for anything else. */
function requestId(message: JSONRPCMessage): Id | undefined {
  return "method" in message && "id" in message ? message.id : undefined;
}

/** The id of a response (a result or an error, no method); undefined for anything else. */
function responseId(message: JSONRPCMessage): Id | undefined {
  return !("method" in message) && "id" in message ? message.id : undefined;
}

/** The request a `notifications/cancelled` names; the SDK never answers that request. */
function cancelledId(message: JSONRPCMessage): Id | undefined {
  if (!("method" in message) || "id" in message || message.method !== "notifications/cancelled") {
    return undefined;
  }
  const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

/**
 * MCP's stdio transport over phyware's own streams: newline-delimited JSON-RPC from `input`, written to
 * `output` (phyware's ordered stdout writer, so nothing else can interleave). A line that is not JSON, or
 * not JSON-RPC, gets the JSON-RPC error the protocol prescribes. At end of input, requests already received
 * are answered before the transport closes, so `printf ... | phyware mcp` gets every answer; a request the
 * client cancelled (`notifications/cancelled`, which the SDK's client sends on its own timeout) is not waited
 * for, since the SDK never answers it.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #closed = false;
  /** Requests received and neither answered nor cancelled. */
  #pending = new Set<Id>();
  #drained: (() => void) | undefined;

  constructor(private readonly input: AsyncIterable<Uint8Array>, private readonly output: Writer) {}

  /** Starts reading input; resolves at once. */
  start(): Promise<void> {
    void this.#read();
    return Promise.resolve();
  }

  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of this.input) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
          const line = buffer.slice(0, end).replace(/\r$/, "");
          buffer = buffer.slice(end + 1);
          if (line.trim() !== "") await this.#receive(line);
        }
        if (buffer.length > MAX_LINE_BYTES) {
          throw new Error(`A JSON-RPC message is longer than ${MAX_LINE_BYTES} bytes`);
        }
        if (this.#closed) return;
      }
      if (buffer.trim() !== "") await this.#receive(buffer);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.#pending.size > 0) await new Promise<void>((resolve) => this.#drained = resolve);
    await this.close();
  }

  async #receive(line: string): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return await this.#writeError(null, -32700, "Parse error: a line is not JSON");
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      const id = typeof value === "object" && value !== null && "id" in value ? value.id : null;
      const replyId = typeof id === "string" || typeof id === "number" ? id : null;
      return await this.#writeError(replyId, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
    }
    const request = requestId(parsed.data);
    if (request !== undefined) this.#pending.add(request);
    const cancelled = cancelledId(parsed.data);
    this.onmessage?.(parsed.data);
    if (cancelled !== undefined) this.#settle(cancelled);
  }

  async #writeError(id: string | number | null, code: number, message: string): Promise<void> {
    await this.output.write(JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } }) + "\n");
  }

  /** Writes one message as one line. */
  async send(message: JSONRPCMessage): Promise<void> {
    try {
      await this.output.write(JSON.stringify(message) + "\n");
    } finally {
      const answered = responseId(message);
      if (answered !== undefined) this.#settle(answered);
    }
  }

  /** A request needs no more waiting for: answered, or cancelled by the client. */
  #settle(id: Id): void {
    if (this.#pending.delete(id) && this.#pending.size === 0) this.#drained?.();
  }

  /** Stops; the server's onclose runs once. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.onclose?.();
    }
    return Promise.resolve();
  }
}
