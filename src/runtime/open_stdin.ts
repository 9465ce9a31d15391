// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

const host = globalThis as unknown as { Deno?: { stdin: { readable: AsyncIterable<Uint8Array> } } };

async function* nodeStdin(): AsyncIterable<Uint8Array> {
  for await (const chunk of process.stdin) {
    yield typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
  }
}

/**
 * Standard input as bytes until end of input: Deno's own stream, elsewhere node:process's, which Bun builds
 * only when it is first touched (so only a command that reads stdin pays for it).
 */
export function openStdin(): AsyncIterable<Uint8Array> {
  return host.Deno ? host.Deno.stdin.readable : nodeStdin();
}
