import { InterruptedError } from "../errors.ts";

// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

/**
 * Prints `prompt` on stderr and reads one line of the terminal; null at end of input, InterruptedError on
 * Ctrl-C. node:readline is loaded only when a prompt is shown, to keep it off every command's start-up.
 */
export async function readLine(prompt: string): Promise<string | null> {
  const { createInterface } = await import("node:readline");
  return await new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    rl.on("SIGINT", () => {
      answered = true;
      rl.close();
      process.stdin.pause();
      process.stderr.write("\n");
      reject(new InterruptedError());
    });
    rl.on("close", () => {
      if (!answered) resolve(null);
    });
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      process.stdin.pause();
      resolve(answer);
    });
  });
}
