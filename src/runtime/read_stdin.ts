import { openStdin } from "./open_stdin.ts";

/**
 * Reads standard input as UTF-8 text (for `--api-key-file -` and `auth login` without a terminal): all of it,
 * or with `limit`, up to the chunk that passes `limit` bytes, then stops reading (`yes | phyware auth login`
 * must not grow without bound).
 */
export async function readStdin(limit = Infinity): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for await (const chunk of openStdin()) {
    text += decoder.decode(chunk, { stream: true });
    bytes += chunk.byteLength;
    if (bytes > limit) return text;
  }
  return text + decoder.decode();
}
