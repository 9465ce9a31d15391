import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { lockFile, LockTimeoutError } from "./lock_file.ts";

Deno.test("a lock held by a live process is waited for, then refused naming the holder", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "x.lock");
  const release = await lockFile(path);
  const started = Date.now();
  const error = await lockFile(path, { timeoutMs: 200 }).then(() => undefined, (e) => e);
  assert.ok(error instanceof LockTimeoutError);
  assert.equal(error.holder, `process ${Deno.pid} on ${Deno.hostname()}`);
  assert.ok(Date.now() - started >= 200);
  await release();
  await (await lockFile(path, { timeoutMs: 200 }))();
});

Deno.test("the next waiter takes the lock as soon as it is released", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "x.lock");
  const order: string[] = [];
  const release = await lockFile(path);
  const waiting = lockFile(path).then(async (next) => {
    order.push("second");
    await next();
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  order.push("first done");
  await release();
  await waiting;
  assert.deepEqual(order, ["first done", "second"]);
  await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
});

Deno.test("an abandoned lock is broken: its holder is gone, or it is older than staleMs", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "x.lock");
  // Unreadable content (a writer that died mid-write): judged by age alone.
  await Deno.writeTextFile(path, "{");
  const old = new Date(Date.now() - 60_000);
  await Deno.utime(path, old, old);
  await (await lockFile(path, { timeoutMs: 500 }))();
  // Another host's holder cannot be checked: it is waited for until staleMs.
  await Deno.writeTextFile(path, JSON.stringify({ pid: 1, host: "elsewhere.invalid", token: "t" }));
  await assert.rejects(lockFile(path, { timeoutMs: 100 }), LockTimeoutError);
  await (await lockFile(path, { timeoutMs: 1_000, staleMs: 50 }))();
});

Deno.test("release removes the lock only while it is still this holder's", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "x.lock");
  const release = await lockFile(path);
  // Someone judged it stale and took it over.
  await Deno.writeTextFile(path, JSON.stringify({ pid: Deno.pid, host: Deno.hostname(), token: "theirs" }));
  await release();
  assert.match(await Deno.readTextFile(path), /theirs/);
});
