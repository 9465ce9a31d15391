import assert from "node:assert/strict";
import { hasProgram, needs, needsPlatform } from "./programs.ts";

Deno.test("hasProgram finds sh on PATH and not a program that does not exist", () => {
  assert.equal(hasProgram("sh"), true);
  assert.equal(hasProgram("phyware-no-such-program-x9"), false);
});

Deno.test("needs runs a test whose programs are present", () => {
  assert.deepEqual(needs(["sh", "dash"]), { ignore: false });
});

Deno.test("needs skips a test whose program is missing, except in CI", () => {
  const expected = Deno.env.get("CI") === "true" ? { ignore: false } : { ignore: true };
  assert.deepEqual(needs(["phyware-no-such-program-x9", "none"]), expected);
});

Deno.test("needsPlatform runs on its platform, and elsewhere skips except in CI", () => {
  assert.deepEqual(needsPlatform(Deno.build.os), { ignore: false });
  const other = Deno.build.os === "linux" ? "darwin" : "linux";
  assert.deepEqual(needsPlatform(other), { ignore: Deno.env.get("CI") !== "true" });
});
