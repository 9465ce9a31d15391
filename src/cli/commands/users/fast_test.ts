import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { addFlags } from "../../../flags/commander.ts";
import { fastVerb, matchFastPath } from "../../fast_path.ts";
import { GLOBAL_FLAGS } from "../../../session/flags.ts";
import { GET_FLAGS, INVITE_FLAGS, LIST_FLAGS } from "./flags.ts";
import { getVerb, listVerb } from "./fast.ts";

/** The options commander's action sees for a command line of a tree built from the same declarations. */
async function commanderOptions(argv: string[]): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> = {};
  const users = addFlags(new Command("users"), GLOBAL_FLAGS)
    .hook("preAction", (_, action) => void (seen = action.optsWithGlobals()));
  addFlags(users.command("list"), LIST_FLAGS).action(() => {});
  addFlags(users.command("get"), GET_FLAGS).argument("<USER_ID>").action(() => {});
  addFlags(users.command("invite"), INVITE_FLAGS).action(() => {});
  await users.exitOverride().parseAsync(argv, { from: "user" });
  return seen;
}

const inviteVerb = fastVerb({
  path: ["users", "invite"],
  groupFlags: GLOBAL_FLAGS,
  flags: INVITE_FLAGS,
  args: 0,
  run: () => Promise.resolve(),
});

Deno.test("the fast path reads a command line as commander does, both from the flag declarations", async (t) => {
  const lines: string[][] = [
    ["list"],
    ["-o", "json", "list", "--status", "active", "--limit=3", "--verbose"],
    ["--url", "http://x.test", "list", "--role", "admin", "--fields", "id,email", "-oyaml"],
    ["get", "usr_1", "--profile", "ci", "--timeout", "5s", "--api-key-file", "key.txt"],
    ["invite", "--email", "a@x.test", "--email=b@x.test", "--dry-run"],
    ["invite", "--email", "a@x.test", "--role", "admin", "--concurrency", "2", "--from-file", "t.csv"],
  ];
  for (const argv of lines) {
    await t.step(argv.join(" "), async () => {
      const fast = matchFastPath(["users", ...argv], [getVerb, listVerb, inviteVerb]);
      assert.ok(fast, "the fast path takes it");
      assert.deepEqual({ ...fast.options }, await commanderOptions(argv));
    });
  }
});
