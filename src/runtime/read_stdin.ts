import { openStdin } from "./open_stdin.ts";

/** Reads all of standard input as UTF-8 text (for `--api-key-file -` and `auth login` without a terminal). */
export async function readStdin(): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of openStdin()) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
