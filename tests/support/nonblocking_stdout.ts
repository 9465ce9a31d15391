/**
 * Runs a command whose stdout is a non-blocking pipe, as some process managers and shells leave it:
 * `deno run -A nonblocking_stdout.ts COMMAND [ARG...]` sets O_NONBLOCK on its own stdout (a flag of the open
 * pipe, so the child inherits it) and exits with the command's status. Linux only (libc's fcntl by FFI).
 */

const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;

/** Sets O_NONBLOCK on a file descriptor of this process. */
export function setNonBlocking(fd: number): void {
  if (Deno.build.os !== "linux") throw new Error(`Cannot set O_NONBLOCK on ${Deno.build.os}: Linux only`);
  const libc = Deno.dlopen("libc.so.6", { fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" } });
  try {
    const flags = libc.symbols.fcntl(fd, F_GETFL, 0);
    if (flags < 0 || libc.symbols.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
      throw new Error(`Cannot set O_NONBLOCK on file descriptor ${fd}`);
    }
  } finally {
    libc.close();
  }
}

if (import.meta.main) {
  const [command, ...args] = Deno.args;
  if (command === undefined) throw new Error("Usage: nonblocking_stdout.ts COMMAND [ARG...]");
  setNonBlocking(1);
  const status = await new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn().status;
  Deno.exit(status.code);
}
