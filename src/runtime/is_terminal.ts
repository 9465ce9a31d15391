// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

interface DenoStdio {
  stdin: { isTerminal(): boolean };
  stdout: { isTerminal(): boolean };
  stderr: { isTerminal(): boolean };
}

interface TtyBinding {
  isTTY(fd: number): boolean;
}

/** Bun's native isatty, which `node:tty` wraps; undefined on other runtimes. */
function bunTty(): TtyBinding | undefined {
  if (!("Bun" in globalThis)) return undefined;
  const binding: unknown = Reflect.get(process, "binding");
  if (typeof binding !== "function") return undefined;
  const tty: unknown = Reflect.apply(binding, process, ["tty_wrap"]);
  const isTTY: unknown = typeof tty === "object" && tty !== null ? Reflect.get(tty, "isTTY") : undefined;
  return typeof isTTY === "function"
    ? { isTTY: (fd) => Reflect.apply(isTTY, tty, [fd]) === true }
    : undefined;
}

/**
 * Whether a standard descriptor is a terminal. Evaluating `node:tty` costs Bun about 10 ms of start-up (it
 * builds its stream classes), so Deno and Bun are asked natively and `node:tty` is the fallback of the rest.
 */
export function isTerminal(fd: 0 | 1 | 2): boolean {
  const deno = (globalThis as { Deno?: DenoStdio }).Deno;
  if (deno) return (fd === 0 ? deno.stdin : fd === 1 ? deno.stdout : deno.stderr).isTerminal();
  const bun = bunTty();
  if (bun) return bun.isTTY(fd);
  return process.getBuiltinModule("node:tty").isatty(fd);
}
