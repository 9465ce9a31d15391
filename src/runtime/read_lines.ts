// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/**
 * Yields the lines of a file, or of standard input for "-", as they are read: a file of any size never sits
 * in memory whole. Line ends (\n, \r\n) are dropped.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  // node:fs is loaded on use: evaluating it costs every command's start-up in Bun (bench/RESULTS.md).
  const stream = path === "-" ? process.stdin : (await import("node:fs")).createReadStream(path);
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    rest += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    const lines = rest.split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) yield line.replace(/\r$/, "");
  }
  rest += decoder.decode();
  if (rest !== "") yield rest.replace(/\r$/, "");
}
