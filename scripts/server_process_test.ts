import assert from "node:assert/strict";
import { join } from "node:path";
import { startServerProcess } from "./server_process.ts";

Deno.test("startServerProcess resolves with the URL of the listening line, on stderr or stdout", async () => {
  for (const fd of ["2", "1"]) {
    await using server = await startServerProcess({
      command: [
        "sh",
        "-c",
        `echo "phyware server listening on http://127.0.0.1:4321" >&${fd}; exec sleep 30`,
      ],
    });
    assert.equal(server.url, "http://127.0.0.1:4321");
    assert.equal(server.port, 4321);
  }
});

Deno.test("startServerProcess names the command and its output when the process ends before listening", async () => {
  await assert.rejects(
    startServerProcess({ command: ["sh", "-c", "echo 'error: Cannot listen on 127.0.0.1:1' >&2; exit 1"] }),
    (error: Error) => {
      assert.match(
        error.message,
        /^The server "sh -c .*" exited with 1:\nerror: Cannot listen on 127\.0\.0\.1:1$/,
      );
      return true;
    },
  );
});

Deno.test("startServerProcess gives up after timeoutMs, killing the process", async () => {
  const started = performance.now();
  await assert.rejects(
    startServerProcess({ command: ["sleep", "30"], timeoutMs: 300 }),
    /printed no listening line in time/,
  );
  assert.ok(performance.now() - started < 5000);
});

Deno.test("startServerProcess with logFile and umask: output goes to the files, the umask applies", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using server = await startServerProcess({
      command: [
        "sh",
        "-c",
        'touch made; echo out; echo "hello listening on http://127.0.0.1:9" >&2; exec sleep 30',
      ],
      cwd: dir,
      logFile: "server.log",
      umask: "077",
      listening: /hello listening on (http:\/\/\S+)/,
    });
    assert.equal(server.url, "http://127.0.0.1:9");
    assert.equal(server.stderr(), "hello listening on http://127.0.0.1:9\n");
    assert.equal(server.stdout(), "out\n");
    assert.equal((Deno.statSync(join(dir, "made")).mode ?? 0) & 0o777, 0o600);
    const status = await server.stop();
    assert.equal(status.signal, "SIGTERM");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
