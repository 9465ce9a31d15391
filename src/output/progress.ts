import type { Io, Writer } from "../context.ts";

const ERASE = "\r\x1b[K";

/** A status line on stderr that never garbles other output; see createProgress. */
export interface Progress {
  /** Standard output: the line is erased before each write and drawn again after it. */
  stdout: Writer;
  /** Standard error, likewise. */
  stderr: Writer;
  /** Draws (or redraws) the line with this text. */
  show(text: string): Promise<void>;
  /** Erases the line for good: what is written next (the summary) takes its place. */
  end(): Promise<void>;
  /** Whether the line is drawn at all. */
  enabled: boolean;
}

/**
 * A progress line drawn on stderr only when stderr is a terminal: every write to stdout or stderr through it
 * first erases the line, then draws it again, so a table's header starts at column 0. As in gh, stdout must
 * be the terminal too: a program reading a piped stdout (`| jq`) writes to the screen on its own, and would
 * write after the line. Writes are queued in order. Otherwise it draws nothing.
 */
export function createProgress(io: Io): Progress {
  const enabled = io.stderrIsTerminal && io.stdoutIsTerminal;
  let text = "";
  let drawn = false;
  let ended = false;
  let queue: Promise<void> = Promise.resolve();
  const serial = (step: () => Promise<void>): Promise<void> => {
    const next = queue.then(step);
    queue = next.catch(() => {});
    return next;
  };
  const erase = async () => {
    if (drawn) await io.stderr.write(ERASE);
    drawn = false;
  };
  const draw = async () => {
    if (!enabled || ended || text === "") return;
    await io.stderr.write(`${ERASE}${text}`);
    drawn = true;
  };
  const through = (out: Writer): Writer => ({
    write: (chunk) =>
      serial(async () => {
        await erase();
        await out.write(chunk);
        // Redraw only after a complete line: a partial one would be glued to the progress text.
        if (chunk.endsWith("\n")) await draw();
      }),
  });
  return {
    enabled,
    stdout: enabled ? through(io.stdout) : io.stdout,
    stderr: enabled ? through(io.stderr) : io.stderr,
    show: (next) =>
      serial(async () => {
        text = next;
        await draw();
      }),
    end: () =>
      serial(async () => {
        ended = true;
        await erase();
      }),
  };
}
