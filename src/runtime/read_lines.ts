// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/** The longest line `readLines` yields, in characters (1 MiB of ASCII). */
export const MAX_LINE_LENGTH = 1024 * 1024;

/** A line longer than MAX_LINE_LENGTH: reading stops there, at `line` (1-based), naming no content. */
export class LineTooLongError extends Error {
  /** The line's number, from 1. */
  readonly line: number;
  constructor(line: number) {
    super(`Line ${line} is longer than 1 MiB`);
    this.name = "LineTooLongError";
    this.line = line;
  }
}

/**
 * Yields the lines of a file, or of standard input for "-", as they are read: a file of any size never sits
 * in memory whole. Line ends (\n, \r\n) are dropped. Each chunk is scanned once (linear time, however long a
 * line), and a line longer than MAX_LINE_LENGTH throws LineTooLongError rather than growing without bound.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  // node:fs is loaded on use: evaluating it costs every command's start-up in Bun (bench/RESULTS.md).
  const stream = path === "-" ? process.stdin : (await import("node:fs")).createReadStream(path);
  const decoder = new TextDecoder();
  let parts: string[] = [];
  let pending = 0;
  let line = 0;
  const take = (last: string): string => {
    parts.push(last);
    const text = parts.join("");
    parts = [];
    pending = 0;
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  };
  const keep = (text: string) => {
    parts.push(text);
    pending += text.length;
    if (pending > MAX_LINE_LENGTH + 1) throw new LineTooLongError(line + 1);
  };
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      const piece = text.slice(start, end);
      if (pending + piece.length > MAX_LINE_LENGTH + 1) throw new LineTooLongError(line + 1);
      line++;
      yield take(piece);
      start = end + 1;
    }
    if (start < text.length) keep(text.slice(start));
  }
  const tail = decoder.decode();
  if (tail !== "") keep(tail);
  if (pending > 0) yield take("");
}
