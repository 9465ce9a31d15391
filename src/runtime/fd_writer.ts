import process from "node:process";
import type { Writer } from "../context.ts";
import { BrokenPipeError } from "../errors.ts";
import { fileError } from "../file_error.ts";
import { delay } from "./delay.ts";

/** Writes some of `bytes` to the descriptor and returns how many were written. */
type WriteSome = (bytes: Uint8Array) => Promise<number>;

interface DenoStdio {
  stdout: { write(bytes: Uint8Array): Promise<number> };
  stderr: { write(bytes: Uint8Array): Promise<number> };
}

interface BunStdio {
  stdout: unknown;
  stderr: unknown;
  write(destination: unknown, bytes: Uint8Array): Promise<number>;
}

/**
 * The raw write of a descriptor, without building a Node stream (which costs Bun more than a whole request).
 * Deno's own `stdout.write` reports a partial write of a non-blocking pipe truthfully, where its `node:fs`
 * write loses the count on EAGAIN (and the loop below would resend bytes). Bun's own `Bun.write` to its
 * stdout waits out a full pipe itself, and spares start-up the evaluation of `node:fs` (about 1 ms in
 * Bun); other runtimes get `fs.writeSync`.
 */
function rawWrite(fd: 1 | 2): WriteSome {
  const { Deno: deno, Bun: bun } = globalThis as { Deno?: DenoStdio; Bun?: BunStdio };
  if (deno) {
    const file = fd === 1 ? deno.stdout : deno.stderr;
    return (bytes) => file.write(bytes);
  }
  if (bun) {
    const file = fd === 1 ? bun.stdout : bun.stderr;
    return (bytes) => bun.write(file, bytes);
  }
  const { writeSync } = process.getBuiltinModule("node:fs");
  return (bytes) => {
    try {
      return Promise.resolve(writeSync(fd, bytes, 0, bytes.length));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/** POSIX's PIPE_BUF on Linux and macOS: the largest atomic write to a pipe. */
const PIPE_BUF = 4096;

function errorIs(error: unknown, code: string, name: string): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === code || e?.name === name;
}

/**
 * Writes text to stdout or stderr in order: each write starts when the one before it has finished, partial
 * writes are continued, a full non-blocking pipe is waited for, and a reader that went away (EPIPE)
 * becomes BrokenPipeError.
 */
export function fdWriter(fd: 1 | 2): Writer {
  const writeSome = rawWrite(fd);
  const encoder = new TextEncoder();
  let broken = false;
  let tail: Promise<void> = Promise.resolve();
  const writeAll = async (text: string): Promise<void> => {
    if (broken) throw new BrokenPipeError();
    const all = encoder.encode(text);
    // A pipe write of at most PIPE_BUF (4 KiB) bytes is atomic: on a non-blocking pipe it is written whole
    // or fails with EAGAIN, so no runtime can lose count of a partial write and send bytes twice.
    let offset = 0;
    while (offset < all.length) {
      try {
        offset += await writeSome(all.subarray(offset, offset + PIPE_BUF));
      } catch (error) {
        if (errorIs(error, "EPIPE", "BrokenPipe")) {
          broken = true;
          throw new BrokenPipeError();
        }
        if (!errorIs(error, "EAGAIN", "WouldBlock")) {
          throw fileError(error, fd === 1 ? "write the output" : "write to standard error") ?? error;
        }
        await delay(1);
      }
    }
  };
  return {
    write(text: string): Promise<void> {
      // `tail` never rejects (see below), so a failed write does not stop the ones after it.
      const done = tail.then(() => writeAll(text));
      tail = done.catch(() => {});
      return done;
    },
  };
}
