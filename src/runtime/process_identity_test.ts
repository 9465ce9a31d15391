import assert from "node:assert/strict";
import os from "node:os";
import process from "node:process";
import { processExists, thisProcess } from "./process_identity.ts";

Deno.test("thisProcess names this pid and a host that starts with the host name", () => {
  const me = thisProcess();
  assert.equal(me.pid, process.pid);
  assert.ok(me.host.startsWith(os.hostname()), me.host);
  assert.deepEqual(thisProcess(), me, "stable within a process");
});

Deno.test("processExists: this process yes, a process that has exited no", async () => {
  assert.equal(processExists(process.pid), true);
  const child = new Deno.Command("true").spawn();
  await child.status;
  assert.equal(processExists(child.pid), false);
});
