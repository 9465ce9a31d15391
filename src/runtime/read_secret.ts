import { InterruptedError } from "../errors.ts";

// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/**
 * Prints `prompt` on stderr and reads one line from the terminal without echoing it (for `auth login`);
 * null at end of input (Ctrl-D on an empty line), InterruptedError on Ctrl-C. Backspace erases.
 */
export function readSecret(prompt: string): Promise<string | null> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (result: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      result();
    };
    const onData = (chunk: Uint8Array | string) => {
      const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      for (const char of text) {
        if (char === "\r" || char === "\n") return finish(() => resolve(value));
        if (char === "\x03") return finish(() => reject(new InterruptedError()));
        if (char === "\x04") {
          if (value === "") return finish(() => resolve(null));
          continue;
        }
        if (char === "\x7f" || char === "\b") value = value.slice(0, -1);
        else if (char >= " ") value += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}
