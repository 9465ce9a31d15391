import assert from "node:assert/strict";
import type { Io } from "../context.ts";
import { createProgress } from "./progress.ts";

function io(terminal: { stdout: boolean; stderr: boolean }) {
  let screen = "";
  const log: string[] = [];
  const writer = (name: string) => ({
    write(text: string) {
      log.push(`${name}:${JSON.stringify(text)}`);
      screen += text;
      return Promise.resolve();
    },
  });
  const value = {
    stdout: writer("out"),
    stderr: writer("err"),
    stdinIsTerminal: false,
    stdoutIsTerminal: terminal.stdout,
    stderrIsTerminal: terminal.stderr,
  } as unknown as Io;
  return { io: value, log, screen: () => screen };
}

Deno.test("the progress line is erased before every write to stdout or stderr and drawn again after it", async () => {
  const t = io({ stdout: true, stderr: true });
  const progress = createProgress(t.io);
  await progress.show("1 of 2 done");
  await progress.stdout.write("LINE  EMAIL\n");
  await progress.stderr.write("a notice\n");
  await progress.show("2 of 2 done");
  await progress.end();
  await progress.stderr.write("2 invited\n");
  assert.deepEqual(t.log, [
    'err:"\\r\\u001b[K1 of 2 done"',
    'err:"\\r\\u001b[K"',
    'out:"LINE  EMAIL\\n"',
    'err:"\\r\\u001b[K1 of 2 done"',
    'err:"\\r\\u001b[K"',
    'err:"a notice\\n"',
    'err:"\\r\\u001b[K1 of 2 done"',
    'err:"\\r\\u001b[K2 of 2 done"',
    'err:"\\r\\u001b[K"',
    'err:"2 invited\\n"',
  ]);
});

Deno.test("no progress line unless stdout and stderr are both terminals (a piped stdout's reader draws too)", async () => {
  for (const terminal of [{ stdout: false, stderr: true }, { stdout: true, stderr: false }]) {
    const t = io(terminal);
    const progress = createProgress(t.io);
    assert.equal(progress.enabled, false);
    await progress.show("1 of 2 done");
    await progress.stdout.write('{"line":1}\n');
    await progress.end();
    assert.equal(t.screen(), '{"line":1}\n');
  }
});
