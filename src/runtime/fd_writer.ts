import type { Writer } from "../context.ts";
import { BrokenPipeError } from "../errors.ts";
import { fileError } from "../file_error.ts";
import { delay } from "./delay.ts";

/** Writes some of `bytes` to the descriptor and returns how many were written. */
type WriteSome = (bytes: Uint8Array) => Promise<number>;

/** Writes a text the runtime encodes itself, and returns how many bytes were written. */
type WriteText = (text: string) => Promise<number>;

interface DenoStdio {
  stdout: { write(bytes: Uint8Array): Promise<number> };
  stderr: { write(bytes: Uint8Array): Promise<number> };
}

interface BunStdio {
  stdout: unknown;
  stderr: unknown;
  write(destination: unknown, data: Uint8Array | string): Promise<number>;
}

/**
 * Bun's `Bun.write` of a text, which Bun encodes itself: the short writes of a command (`users get`, a
 * version) then skip our TextEncoder and byte loop, 0.13 ms of `users get` (bench/ "one" row). Elsewhere none.
 */
function rawWriteText(fd: 1 | 2): WriteText | undefined {
  const { Deno: deno, Bun: bun } = globalThis as { Deno?: unknown; Bun?: BunStdio };
  if (deno || !bun) return undefined;
  const file = fd === 1 ? bun.stdout : bun.stderr;
  return (text) => bun.write(file, text);
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
  // globalThis.process rather than node:process, which `--version` would load (see ./process.ts).
  const { writeSync } = globalThis.process.getBuiltinModule("node:fs");
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

/** The longest text written as text: 3 bytes at most in UTF-8 per UTF-16 unit, so at most PIPE_BUF bytes. */
const SHORT_TEXT = Math.floor(PIPE_BUF / 3);

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
  const writeText = rawWriteText(fd);
  let encoder: TextEncoder | undefined;
  let broken = false;
  let tail: Promise<void> = Promise.resolve();
  // One write: the bytes written, or undefined once a full non-blocking pipe (EAGAIN) has been waited for.
  const attempt = async (write: () => Promise<number>): Promise<number | undefined> => {
    try {
      return await write();
    } catch (error) {
      if (errorIs(error, "EPIPE", "BrokenPipe")) {
        broken = true;
        throw new BrokenPipeError();
      }
      if (!errorIs(error, "EAGAIN", "WouldBlock")) {
        throw fileError(error, fd === 1 ? "write the output" : "write to standard error") ?? error;
      }
      await delay(1);
      return undefined;
    }
  };
  const writeAll = async (text: string): Promise<void> => {
    if (broken) throw new BrokenPipeError();
    // A pipe write of at most PIPE_BUF (4 KiB) bytes is atomic: on a non-blocking pipe it is written whole
    // or fails with EAGAIN, so no runtime can lose count of a partial write and send bytes twice.
    let offset = 0;
    if (writeText !== undefined && text.length > 0 && text.length <= SHORT_TEXT) {
      let written: number | undefined;
      while (written === undefined) written = await attempt(() => writeText(text));
      // Bun.write resolves once all of it is written; fewer bytes than characters would be a partial write
      // (UTF-8 takes one byte a character at least), continued below from there.
      if (written >= text.length) return;
      offset = written;
    }
    const all = (encoder ??= new TextEncoder()).encode(text);
    while (offset < all.length) {
      offset += await attempt(() => writeSome(all.subarray(offset, offset + PIPE_BUF))) ?? 0;
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
